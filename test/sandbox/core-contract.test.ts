/**
 * The Emulator contract is enough to build a CRM emulator: a toy CRM built from core alone (its own
 * token scheme, refusal bodies and statuses, per-account window, headers) goes through the shared
 * pipeline and admin API. Guards against core growing a dependency on any one CRM.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock } from '../../src/sandbox/core/clock.js';
import type { EmulatorContext } from '../../src/sandbox/core/context.js';
import { createCoreContext } from '../../src/sandbox/core/create-context.js';
import { gatewayPage, type Emulator } from '../../src/sandbox/core/emulator.js';
import { createEmulatorServer } from '../../src/sandbox/core/server.js';
import { emptyDataset, type LimitSettings, type SandboxAccount } from '../../src/sandbox/core/store.js';

const basic: LimitSettings = { tier: 'basic', windowMs: 2000, windowMax: 2, dailyMax: 100, searchPerSecond: null, dailyHeaders: true };
const account = (id: number, limits: LimitSettings): SandboxAccount => ({
  id, name: `Org ${id}`, domain: 'toy.example', timeZone: 'UTC', currency: 'EUR', limits, data: emptyDataset(), createdAt: 0,
  users: [{ id: 7, ownerId: 7, email: 'owner@toy.example', firstName: 'Ada', lastName: 'Lovelace' }],
});

const toy: Emulator<EmulatorContext> = {
  name: 'Toy',
  port: 4199,
  app: { clientId: 'toy-client', clientSecret: 'toy-secret', appId: 1, redirectUris: [], scopes: ['read'] },
  tokenFormats: { access: () => `tok-${randomUUID()}`, refresh: () => `ref-${randomUUID()}`, code: () => `code-${randomUUID()}`, privateApp: () => `pat-${randomUUID()}` },
  limits: { tiers: { basic }, defaultTier: 'basic', windowPer: 'account', headers: (usage) => ({ 'x-ratelimit-remaining': String(usage.window?.remaining), 'x-daily-requests-left': String(usage.daily?.remaining) }) },
  refusals: {
    unauthenticated: () => ({ body: [{ errorCode: 'INVALID_SESSION_ID' }] }),
    expired: () => ({ body: [{ errorCode: 'INVALID_SESSION_ID', message: 'expired' }] }),
    missingScope: (_req, scopes) => ({ body: [{ errorCode: 'API_DISABLED_FOR_ORG', scopes }] }),
    rateLimited: (_req, policy) => ({ status: 403, body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', policy }] }),
    serverError: (_req, status) => (status === 500 ? { body: [{ errorCode: 'UNKNOWN_EXCEPTION' }] } : gatewayPage(status)),
    invalidRequest: (_req, message) => ({ body: [{ errorCode: 'JSON_PARSER_ERROR', message }] }),
    notFound: () => ({ body: [{ errorCode: 'NOT_FOUND' }] }),
  },
  accessToken: (req) => /^Toy-oauthtoken (\S+)$/.exec(req.headers.authorization ?? '')?.[1],
  responseHeaders: (req) => ({ 'x-request-id': req.id }),
  createContext(core, opts) {
    core.store.accounts.set(1, account(1, opts.limits));
    core.store.defaultAccountId = 1;
    return core;
  },
  accounts: {
    create: (ctx, input) => {
      const a = account(input.id ?? ctx.store.accounts.size + 1, input.limits);
      ctx.store.accounts.set(a.id, a);
      return a;
    },
    reseed: () => {},
  },
  registerRoutes(app) {
    app.get('/things', { config: { sandbox: { kind: 'list', scopes: () => ['read'], limit: 'api' } } }, async (req) => ({ org: req.sandbox.account.id, user: req.sandbox.token?.userId }));
    app.get('/admin-things', { config: { sandbox: { kind: 'list', scopes: () => ['admin'], limit: 'api' } } }, async () => ({}));
  },
  tokenResponse: (_ctx, access, refresh) => ({ access_token: access.token, refresh_token: refresh, org: access.accountId }),
};

let app: FastifyInstance;
let token: string;
const get = (url: string, auth = token) => app.inject({ method: 'GET', url, headers: { authorization: `Toy-oauthtoken ${auth}` } });
const adminCall = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => app.inject({ method, url: `/_sandbox${url}`, payload });

beforeAll(async () => {
  const clock = createClock();
  const core = createCoreContext(toy, clock, { seed: 1, apps: [toy.app], accessTokenTtlSeconds: 60, rateLimits: true });
  app = createEmulatorServer('toy', toy, toy.createContext(core, { seed: 1, records: 0, limits: basic }));
  await app.ready();
  token = (await adminCall('POST', '/tokens', {})).json().access_token;
});
afterAll(() => app.close());

describe('a toy emulator built from core alone', () => {
  it('describes itself and mints tokens in its own token-endpoint shape', async () => {
    const described = (await adminCall('GET', '')).json();
    expect(described).toMatchObject({ provider: 'toy', defaultAccountId: 1, apps: [{ clientId: 'toy-client', appId: 1, redirectUris: [] }] });
    const minted = await adminCall('POST', '/tokens', { scopes: ['read'] });
    expect(minted.statusCode).toBe(201);
    expect(minted.json()).toEqual({ access_token: expect.stringMatching(/^tok-/), refresh_token: expect.stringMatching(/^ref-/), org: 1 });
  });

  it('authenticates with its own scheme and words each refusal its own way', async () => {
    const ok = await get('/things');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ org: 1, user: 7 });
    expect(ok.headers['x-request-id']).toBeTruthy();
    expect((await app.inject({ method: 'GET', url: '/things', headers: { authorization: `Bearer ${token}` } })).json()).toEqual([{ errorCode: 'INVALID_SESSION_ID' }]);
    const scope = await get('/admin-things');
    expect([scope.statusCode, scope.json()]).toEqual([403, [{ errorCode: 'API_DISABLED_FOR_ORG', scopes: ['admin'] }]]);
    const missing = await get('/nothing-here');
    expect([missing.statusCode, missing.json()]).toEqual([404, [{ errorCode: 'NOT_FOUND' }]]);
  });

  it('limits per account with its headers and its refusal status, for every app of the account', async () => {
    await adminCall('PUT', '/accounts/default/limits', { tier: 'basic' });
    const other = (await adminCall('POST', '/apps', { clientId: 'other', clientSecret: 's', appId: 2, redirectUris: [] })).json();
    const otherToken = (await adminCall('POST', '/tokens', { clientId: other.clientId, scopes: ['read'] })).json().access_token;
    const first = await get('/things');
    expect(first.headers).toMatchObject({ 'x-ratelimit-remaining': '1', 'x-daily-requests-left': '99' });
    expect((await get('/things', otherToken)).statusCode).toBe(200);
    const refused = await get('/things');
    expect([refused.statusCode, refused.json()]).toEqual([403, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', policy: 'window' }]]);
    await adminCall('POST', '/clock', { advanceMs: 2000 });
    expect((await get('/things')).statusCode).toBe(200);
  });

  it('injects faults with its bodies, and counts requests by kind and status', async () => {
    await adminCall('PUT', '/accounts/default/limits', { tier: 'basic', windowMax: null });
    await adminCall('DELETE', '/requests');
    await adminCall('POST', '/faults', { kind: 503 });
    const gateway = await get('/things');
    expect([gateway.statusCode, gateway.headers['content-type']]).toEqual([503, 'text/html']);
    await adminCall('POST', '/faults', { kind: 500 });
    expect((await get('/things')).json()).toEqual([{ errorCode: 'UNKNOWN_EXCEPTION' }]);
    expect((await get('/things')).statusCode).toBe(200);
    // Per account only what reached it: the two faults were answered before authentication.
    expect((await adminCall('GET', '/requests')).json()).toEqual({
      total: 3, byKind: { list: 3 }, byStatus: { 200: 1, 500: 1, 503: 1 }, byAccount: { 1: { total: 1, maxPerWindow: 1 } }, accountWindowMs: 10_000,
    });
  });
});
