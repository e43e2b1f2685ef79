/**
 * The admin API every emulator shares under /_sandbox/: what is there, the clock, faults, request
 * counts, limit settings, OAuth apps, minting / expiring / revoking tokens and webhook delivery logs.
 * Emulators add their data routes (records, seeding) in the shape the README fixes.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ADMIN, adminError, parse } from './admin-input.js';
import type { EmulatorContext } from './context.js';
import type { Emulator } from './emulator.js';
import { FAULT_KINDS } from './faults.js';
import { dailyKey } from './rate-limit.js';
import type { SandboxAccount } from './store.js';

const faultSchema = z.object({
  kind: z.union([z.enum(FAULT_KINDS.filter((k) => typeof k === 'string') as ['hang', 'drop', 'truncate', 'expire', 'revoke']), z.literal([429, 500, 502, 503, 504])]),
  next: z.number().int().positive().optional(),
  share: z.number().min(0).max(1).optional(),
  skip: z.number().int().nonnegative().optional(),
  pathPrefix: z.string().optional(),
  method: z.string().optional(),
  accountId: z.number().int().optional(),
  hangMs: z.number().int().nonnegative().optional(),
  forMs: z.number().int().positive().max(3_600_000).optional(),
});
const limitsSchema = z.object({
  tier: z.string().optional(),
  windowMs: z.number().int().positive().optional(),
  windowMax: z.number().int().positive().nullable().optional(),
  dailyMax: z.number().int().nonnegative().nullable().optional(),
  searchPerSecond: z.number().int().positive().nullable().optional(),
  dailyHeaders: z.boolean().optional(),
});
const appSchema = z.object({
  redirectUris: z.array(z.string().url()).optional(),
  scopes: z.array(z.string()).optional(),
  optionalScopes: z.array(z.string()).optional(),
  name: z.string().optional(),
  /** A rotated secret, as the CRM's developer settings allow: tokens and webhook signatures use it from then on. */
  clientSecret: z.string().min(1).optional(),
});
const tokenFilter = z.object({ token: z.string().optional(), accountId: z.number().int().optional(), clientId: z.string().optional() });

const mintSchema = z.object({ accountId: z.number().int().optional(), clientId: z.string().optional(), scopes: z.array(z.string()).optional(), userId: z.number().int().optional() });

const liveCounts = (a: SandboxAccount) => Object.fromEntries([...a.data.collections].map(([t, c]) => [t, c.liveCount]));

export function registerCoreAdmin<Ctx extends EmulatorContext>(app: FastifyInstance, provider: string, emulator: Emulator<Ctx>, ctx: Ctx): void {
  const d = { ...ctx, tiers: emulator.limits.tiers };
  /** `:id` is an account id or `default`. */
  const accountParam = (id: string) => d.store.account(id === 'default' ? undefined : Number(id));

  app.get('/_sandbox', ADMIN, async () => ({
    provider,
    defaultAccountId: d.store.defaultAccountId,
    accounts: [...d.store.accounts.values()].map((a) => ({ id: a.id, name: a.name, domain: a.domain, users: a.users, limits: a.limits, counts: liveCounts(a) })),
    apps: [...d.store.apps.values()].map((a) => ({ clientId: a.clientId, appId: a.appId, redirectUris: a.redirectUris })),
    ...emulator.describe?.(ctx),
  }));

  app.get('/_sandbox/clock', ADMIN, async () => ({ now: new Date(d.clock.now()).toISOString(), nowMs: d.clock.now(), offsetMs: d.clock.offset() }));
  app.post('/_sandbox/clock', ADMIN, async (req, reply) => {
    const body = parse(z.object({ advanceMs: z.number().nonnegative() }), req.body, reply);
    if (!body) return reply;
    d.clock.advance(body.advanceMs);
    return { now: new Date(d.clock.now()).toISOString(), nowMs: d.clock.now(), offsetMs: d.clock.offset() };
  });

  app.get('/_sandbox/faults', ADMIN, async () => ({ faults: d.faults.list() }));
  app.post('/_sandbox/faults', ADMIN, async (req, reply) => {
    const body = parse(faultSchema, req.body, reply);
    return body ? reply.code(201).send(d.faults.add(body)) : reply;
  });
  app.delete('/_sandbox/faults', ADMIN, async (req, reply) => {
    const accountId = (req.query as { accountId?: string }).accountId;
    d.faults.clear(accountId ? Number(accountId) : undefined);
    return reply.code(204).send();
  });

  app.get('/_sandbox/requests', ADMIN, async () => d.counter.snapshot());
  app.delete('/_sandbox/requests', ADMIN, async (_req, reply) => {
    d.counter.reset();
    return reply.code(204).send();
  });

  app.get('/_sandbox/accounts/:id/limits', ADMIN, async (req, reply) => {
    const account = accountParam((req.params as { id: string }).id);
    if (!account) return adminError(reply, 404, 'not_found', 'unknown account');
    const day = d.limiter.daily(dailyKey(account.id), account.limits.dailyMax, false);
    return { ...account.limits, dailyUsed: day.used, dailyResetsAt: new Date(day.resetsAt).toISOString(), tiers: Object.keys(d.tiers) };
  });
  app.put('/_sandbox/accounts/:id/limits', ADMIN, async (req, reply) => {
    const account = accountParam((req.params as { id: string }).id);
    if (!account) return adminError(reply, 404, 'not_found', 'unknown account');
    const body = parse(limitsSchema, req.body, reply);
    if (!body) return reply;
    const base = body.tier ? d.tiers[body.tier] : account.limits;
    if (!base) return adminError(reply, 400, 'invalid_input', `unknown tier ${body.tier}; one of ${Object.keys(d.tiers).join(', ')}`);
    const { tier: _t, ...overrides } = body;
    account.limits = { ...base, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
    if ((req.query as { reset?: string }).reset !== 'false') d.limiter.reset(`${account.id}:`);
    return account.limits;
  });

  app.get('/_sandbox/apps', ADMIN, async () => ({ apps: [...d.store.apps.values()] }));
  app.post('/_sandbox/apps', ADMIN, async (req, reply) => {
    const body = parse(appSchema.extend({ clientId: z.string(), clientSecret: z.string(), appId: z.number().int(), redirectUris: z.array(z.string().url()) }), req.body, reply);
    if (!body) return reply;
    d.store.apps.set(body.clientId, body);
    return reply.code(201).send(body);
  });
  app.put('/_sandbox/apps/:clientId', ADMIN, async (req, reply) => {
    const existing = d.store.apps.get((req.params as { clientId: string }).clientId);
    if (!existing) return adminError(reply, 404, 'not_found', 'unknown client id');
    const body = parse(appSchema, req.body, reply);
    if (!body) return reply;
    Object.assign(existing, Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)));
    return existing;
  });

  app.post('/_sandbox/tokens', ADMIN, async (req, reply) => {
    const body = parse(mintSchema, req.body, reply);
    if (!body) return reply;
    const account = d.store.account(body.accountId);
    if (!account) return adminError(reply, 404, 'not_found', `unknown account ${body.accountId}`);
    const oauthApp = d.store.apps.get(body.clientId ?? [...d.store.apps.keys()][0]!);
    if (!oauthApp) return adminError(reply, 404, 'not_found', 'unknown client id');
    const scopes = body.scopes ?? [...(oauthApp.scopes ?? []), ...(oauthApp.optionalScopes ?? [])];
    const grant = { clientId: oauthApp.clientId, accountId: account.id, userId: body.userId ?? account.users[0]!.id, scopes };
    const { access, refresh } = d.store.tokens.issue(grant, d.options.accessTokenTtlSeconds);
    return reply.code(201).send(emulator.tokenResponse(ctx, access, refresh.token));
  });

  const matcher = (f: z.infer<typeof tokenFilter>) => (t: { token?: string; accountId: number; clientId: string; refreshToken?: string }) =>
    (!f.token || t.token === f.token || t.refreshToken === f.token) && (f.accountId === undefined || t.accountId === f.accountId) && (!f.clientId || t.clientId === f.clientId);
  app.post('/_sandbox/tokens/expire', ADMIN, async (req, reply) => {
    const body = parse(tokenFilter, req.body, reply);
    return body ? { expired: d.store.tokens.expireAccess(matcher(body)) } : reply;
  });
  app.post('/_sandbox/tokens/revoke', ADMIN, async (req, reply) => {
    const body = parse(tokenFilter, req.body, reply);
    return body ? { revoked: d.store.tokens.revokeAll(matcher(body) as never) } : reply;
  });

  app.get('/_sandbox/webhooks/deliveries', ADMIN, async () => ({ deliveries: d.dispatcher.log }));
}
