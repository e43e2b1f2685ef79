/**
 * A host app on another origin calls the API from its pages (issue 19 #1): listed origins get CORS
 * answers on `/api/…` (the event stream included), nobody else does, and pages keep answering as
 * without CORS. The real app through `inject`, the real database behind it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalBus } from '../../src/events/bus.js';
import { buildApp } from '../../src/server/app.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { engine } from '../helpers/database.js';
import { TEST_JWT_SECRET, tokenFor } from '../helpers/users.js';

const HOST_APP = 'https://host.example.com';
const THIRD_PARTY = 'https://evil.example.net';

describe(`CORS for host apps on ${engine}`, () => {
  let ctx: TestContext;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let authorization: string;

  beforeAll(async () => {
    ctx = await createTestContext({ PULSE_AUTH_JWT_SECRET: TEST_JWT_SECRET, PULSE_CORS_ORIGINS: HOST_APP });
    // The stream needs a bus; the in-process one is what embedded PGlite runs on.
    ctx.events = createLocalBus();
    app = await buildApp(ctx, { serveWeb: false });
    authorization = `Bearer ${await tokenFor('ann')}`;
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  const preflight = (origin: string, url = '/api/integrations', method = 'POST') => app.inject({
    method: 'OPTIONS', url, headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type' },
  });

  it('answers a listed origin\'s preflight with its origin, the methods and the headers the client sends', async () => {
    const response = await preflight(HOST_APP);
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(HOST_APP);
    expect(String(response.headers['access-control-allow-methods'])).toContain('DELETE');
    expect(String(response.headers['access-control-allow-headers'])).toContain('authorization');
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    expect(String(response.headers.vary)).toContain('Origin');
  });

  it('lets a listed origin read an API answer, and no other origin', async () => {
    const allowed = await app.inject({ url: '/api/integrations', headers: { origin: HOST_APP, authorization } });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(HOST_APP);
    const refused = await app.inject({ url: '/api/integrations', headers: { origin: THIRD_PARTY, authorization } });
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses another origin\'s preflight as if CORS did not exist (404, no CORS headers)', async () => {
    const response = await preflight(THIRD_PARTY);
    expect(response.statusCode).toBe(404);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.json().error.code).toBe('not_found');
  });

  it('keeps pages and the OAuth callback out of CORS, even for a listed origin', async () => {
    for (const url of ['/crm/oauth/callback', '/crm/oauth/begin', '/']) {
      const response = await preflight(HOST_APP, url, 'GET');
      expect(response.headers['access-control-allow-origin'], url).toBeUndefined();
    }
  });

  it('sends the CORS headers with the live event stream, which writes its own head', async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const response = await fetch(`${address}/api/events`, { headers: { origin: HOST_APP, authorization, accept: 'text/event-stream' }, signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(HOST_APP);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    controller.abort();
  });
});
