import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { ensureUser, TEST_JWT_SECRET, tokenFor } from '../helpers/users.js';

/**
 * The database server going away (reached through a TCP relay the test cuts): every API route
 * answers 503 `not_ready` with Retry-After, and the same app serves again once it is back.
 * The embedded database lives in the process and cannot go away, so this is the server's case only.
 */
describe('the API while its database (a PostgreSQL server) is unreachable', () => {
  let ctx: TestContext;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let auth: { authorization: string };

  beforeAll(async () => {
    const direct = await createTestContext({}, undefined, 'postgres');
    const url = new URL(direct.databaseUrl!);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    // A second context on the same database, through the relay; the first one owns the database's lifetime.
    ctx = Object.assign(await createTestContext({ DATABASE_URL: url.toString(), PULSE_AUTH_JWT_SECRET: TEST_JWT_SECRET }, undefined, 'pglite'), { close: direct.close });
    app = await buildApp(ctx, { serveWeb: false });
    await ensureUser(ctx, 'erin');
    auth = { authorization: `Bearer ${await tokenFor('erin')}` };
  });
  afterAll(async () => {
    await app?.close();
    proxy?.close();
    await ctx?.db.close().catch(() => {});
    await ctx?.close();
  });

  it('answers 503 not_ready with Retry-After on every route, then serves again when it is back', async () => {
    const routes: [string, string][] = [['GET', '/api/integrations'], ['GET', '/api/contacts'], ['GET', '/api/platforms'],
      ['PATCH', '/api/integrations/0b6f7c1e-2f4a-4c7e-9a55-3f1d2b9e8c10'], ['POST', '/api/integrations/oauth/start']];
    const bodies: Record<string, object> = { PATCH: { displayName: 'x' }, POST: { platform: 'hubspot' } };
    expect((await app.inject({ url: '/api/integrations', headers: auth })).statusCode).toBe(200);

    await proxy.cut();
    for (const [method, url] of routes) {
      // A new user is looked up on first sight, so the database is reached before any route's own work.
      const response = await app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${await tokenFor(`new-${url}`)}` }, payload: bodies[method] });
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json().error.code).toBe('not_ready');
    }
    expect((await app.inject({ url: '/api/integrations', headers: auth })).statusCode).toBe(503);
    expect((await app.inject({ url: '/api/health' })).statusCode).toBe(503);

    await proxy.restore();
    expect((await app.inject({ url: '/api/integrations', headers: auth })).statusCode).toBe(200);
  });
});
