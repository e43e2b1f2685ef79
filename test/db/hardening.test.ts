import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationsRepository } from '../../src/db/integrations-repository.js';
import { encodeCursor } from '../../src/db/keyset-cursor.js';
import { asSystem } from '../../src/db/tenant.js';
import { SANDBOX_APPS } from '../../src/sandbox/index.js';
import { buildApp } from '../../src/server/app.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { engine } from '../helpers/database.js';
import { startTestSandbox } from '../helpers/sandbox.js';
import { asUser, ensureUser, TEST_JWT_SECRET, tokenFor } from '../helpers/users.js';
import { SignJWT } from 'jose';
import { createLocalBus } from '../../src/events/bus.js';

/**
 * What an outside probe of the API found (issue "hardening"): each case here failed before its fix.
 * Authentication is decided on the matched route, bad input is a 4xx in the documented shape,
 * webhooks are stored once, and every response carries the security headers.
 */
describe(`API hardening on ${engine}`, () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let ctx: TestContext;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let auth: { authorization: string };
  let integrationId: string;
  const portal = '424242';

  beforeAll(async () => {
    sandbox = await startTestSandbox('http://127.0.0.1:3999/crm/oauth/callback');
    ctx = await createTestContext({ PULSE_AUTH_JWT_SECRET: TEST_JWT_SECRET, PUBLIC_URL: 'http://127.0.0.1:3999' }, sandbox.wiring);
    app = await buildApp(ctx, { serveWeb: false });
    const userId = await ensureUser(ctx, 'dana');
    auth = { authorization: `Bearer ${await tokenFor('dana')}` };
    integrationId = await asUser(ctx, userId, async (tx) =>
      (await integrationsRepository(tx, ctx.keys).create({ platform: 'hubspot', displayName: 'Sales', externalAccountId: portal })).id);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
    await sandbox?.close();
  });

  const expectErrorShape = (body: unknown, code?: string) => {
    expect(body).toMatchObject({ error: { code: code ?? expect.any(String), message: expect.any(String) } });
  };

  describe('authentication follows the matched route, not the URL string', () => {
    /** `/api/x` spelled with percent escapes Fastify decodes before matching. */
    const spellings = (path: string) => [
      path,
      path.replace('/api/', '/%61pi/'),
      path.replace('/api/', '/%61%70%69/'),
      path.replace(/\/api\/(\w)/, (_, c: string) => `/api/%${c.charCodeAt(0).toString(16)}`),
    ];

    it('answers 401 to every protected route of the OpenAPI document, however its path is spelled', async () => {
      const document = (await app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
      const tried: string[] = [];
      for (const [template, operations] of Object.entries(document.paths)) {
        if (template === '/api/health') continue; // public by design
        const path = template.replace(/\{[^}]+\}/g, '0b6f7c1e-2f4a-4c7e-9a55-3f1d2b9e8c10');
        for (const method of Object.keys(operations)) {
          for (const url of spellings(path)) {
            const response = await app.inject({ method: method.toUpperCase() as 'GET', url, payload: method === 'get' ? undefined : {} });
            tried.push(`${method} ${url} → ${response.statusCode}`);
            expect(response.statusCode, `${method} ${url}`).toBe(401);
            expectErrorShape(response.json(), 'unauthorized');
          }
        }
      }
      expect(tried.length).toBeGreaterThanOrEqual(40);
    });

    it('opens no live-event stream for an encoded path without a token', async () => {
      const response = await app.inject({ url: '/%61pi/events' });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toMatch(/application\/json/);
    });

    it('answers a malformed percent-escape in the documented error shape', async () => {
      const response = await app.inject({ url: '/api/%zz' });
      expect(response.statusCode).toBe(400);
      expectErrorShape(response.json(), 'bad_request');
    });
  });

  describe('malformed input is a 400 naming the problem, never a 500', () => {
    const nul = 'a\u0000b';
    const cursor = (at: string, id = '0b6f7c1e-2f4a-4c7e-9a55-3f1d2b9e8c10') => encodeCursor(at, id);
    const filter = (condition: Record<string, unknown>) => ({ contacts: { match: 'all', conditions: [{ field: 'email', ...condition }] } });
    const cases: [string, 'GET' | 'POST' | 'PATCH' | 'PUT', string, unknown?][] = [
      ['NUL in displayName', 'PATCH', '/api/integrations/:id', { displayName: nul }],
      ['control character in displayName', 'PATCH', '/api/integrations/:id', { displayName: 'a\u0007b' }],
      ['empty displayName', 'PATCH', '/api/integrations/:id', { displayName: '   ' }],
      ['displayName too long', 'PATCH', '/api/integrations/:id', { displayName: 'x'.repeat(121) }],
      ['displayName a number', 'PATCH', '/api/integrations/:id', { displayName: 5 }],
      ['unknown field', 'PATCH', '/api/integrations/:id', { owner: 'x' }],
      ['empty patch', 'PATCH', '/api/integrations/:id', {}],
      ['interval too short', 'PATCH', '/api/integrations/:id', { settings: { sync_interval_minutes: 1 } }],
      ['interval fractional', 'PATCH', '/api/integrations/:id', { settings: { sync_interval_minutes: 7.5 } }],
      ['integration id not a UUID', 'GET', '/api/integrations/nope'],
      ['integration id of 36 dashes', 'GET', `/api/integrations/${'-'.repeat(36)}`],
      ['integration id of 36 f', 'GET', `/api/integrations/${'f'.repeat(36)}`],
      ['NUL in returnTo', 'POST', '/api/integrations/oauth/start', { platform: 'hubspot', returnTo: `/settings${nul}` }],
      ['returnTo elsewhere', 'POST', '/api/integrations/oauth/start', { platform: 'hubspot', returnTo: 'https://evil.example/' }],
      ['protocol-relative returnTo', 'POST', '/api/integrations/oauth/start', { platform: 'hubspot', returnTo: '//evil.example/' }],
      ['unknown platform', 'POST', '/api/integrations/oauth/start', { platform: 'myspace' }],
      ['unknown scope', 'POST', '/api/integrations/oauth/start', { platform: 'hubspot', scopes: ['everything'] }],
      ['NUL in a scope', 'POST', '/api/integrations/oauth/start', { platform: 'hubspot', scopes: [nul] }],
      ['integrationId not a UUID', 'POST', '/api/integrations/oauth/start', { platform: 'hubspot', integrationId: 'x' }],
      ['body not JSON', 'POST', '/api/integrations/oauth/start', '{"platform":'],
      ['body an array', 'POST', '/api/integrations/oauth/start', []],
      ['sync body with unknown field', 'POST', '/api/integrations/:id/sync', { fast: true }],
      ['sync full not a boolean', 'POST', '/api/integrations/:id/sync', { full: 'yes' }],
      ['updatedSince year 0000', 'GET', '/api/contacts?updatedSince=0000-01-01T00:00:00Z'],
      ['updatedSince offset +23:59', 'GET', '/api/contacts?updatedSince=2026-01-01T00:00:00%2B23:59'],
      ['updatedSince offset -15:00', 'GET', '/api/deals?updatedSince=2026-01-01T00:00:00-15:00'],
      ['updatedSince February 31st', 'GET', '/api/companies?updatedSince=2026-02-31T00:00:00Z'],
      ['updatedSince a date only', 'GET', '/api/contacts?updatedSince=2026-01-01'],
      ['updatedSince a number', 'GET', '/api/contacts?updatedSince=1700000000'],
      ['updatedSince with NUL', 'GET', '/api/contacts?updatedSince=2026-01-01T00:00:00Z%00'],
      ['cursor year 2000 only', 'GET', `/api/contacts?cursor=${cursor('2000')}`],
      ['cursor timestamp 1', 'GET', `/api/contacts?cursor=${cursor('1')}`],
      ['cursor year 275760', 'GET', `/api/contacts?cursor=${cursor('+275760-09-13T00:00:00.000000Z')}`],
      ['cursor year 0000', 'GET', `/api/contacts?cursor=${cursor('0000-01-01T00:00:00.000000Z')}`],
      ['cursor month 13', 'GET', `/api/contacts?cursor=${cursor('2026-13-01T00:00:00.000000Z')}`],
      ['cursor id of 36 dashes', 'GET', `/api/contacts?cursor=${cursor('2026-01-01T00:00:00.000000Z', '-'.repeat(36))}`],
      ['cursor id of 36 f', 'GET', `/api/contacts?cursor=${cursor('2026-01-01T00:00:00.000000Z', 'f'.repeat(36))}`],
      ['cursor with a third part', 'GET', `/api/contacts?cursor=${encodeCursor('2026-01-01T00:00:00.000000Z', '0b6f7c1e-2f4a-4c7e-9a55-3f1d2b9e8c10|x')}`],
      ['cursor not base64', 'GET', '/api/contacts?cursor=%%%'],
      ['cursor too long', 'GET', `/api/contacts?cursor=${'a'.repeat(201)}`],
      ['sync-log cursor year 275760', 'GET', `/api/integrations/:id/sync-logs?cursor=${cursor('+275760-09-13T00:00:00.000000Z')}`],
      ['sync-log cursor id of 36 f', 'GET', `/api/integrations/:id/sync-logs?cursor=${cursor('2026-01-01T00:00:00.000000Z', 'f'.repeat(36))}`],
      ['sync-log limit 0', 'GET', '/api/integrations/:id/sync-logs?limit=0'],
      ['sync-log limit huge', 'GET', '/api/integrations/:id/sync-logs?limit=99999999999999999999'],
      ['records limit negative', 'GET', '/api/contacts?limit=-1'],
      ['records limit not a number', 'GET', '/api/contacts?limit=ten'],
      ['records integrationId 36 f', 'GET', `/api/contacts?integrationId=${'f'.repeat(36)}`],
      ['records includeDeleted maybe', 'GET', '/api/contacts?includeDeleted=maybe'],
      ['records unknown parameter', 'GET', '/api/contacts?sort=name'],
      ['connection test of a non-UUID', 'POST', '/api/integrations/x/test'],
      ['filter with an unknown operator', 'PUT', '/api/integrations/:id/filters', filter({ operator: 'like', value: 'x' })],
      ['filter in an empty list', 'PUT', '/api/integrations/:id/filters', filter({ operator: 'in', value: [] })],
      ['filter after a date that is not ISO', 'POST', '/api/integrations/:id/filters/preview', filter({ operator: 'after', value: 'yesterday' })],
      ['filter greater than text', 'PUT', '/api/integrations/:id/filters', filter({ operator: 'greater', value: 'ten' })],
      ['filter NUL in a value', 'PUT', '/api/integrations/:id/filters', filter({ operator: 'equals', value: nul })],
      ['filter field that is no CRM field name', 'PUT', '/api/integrations/:id/filters', filter({ field: 'e-mail; DROP', operator: 'known' })],
      ['filter of an unknown object', 'PUT', '/api/integrations/:id/filters', { leads: null }],
    ];

    // Every one is a 400: the request itself is wrong (nothing here names a missing resource). A body
    // that is not JSON at all is bad_request; the rest parse and fail their schema, validation_failed.
    it.each(cases)('%s → 400 in the error shape', async (name, method, template, payload) => {
      const url = template.replace(':id', integrationId);
      const response = await app.inject({
        method, url, headers: { ...auth, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
        payload: typeof payload === 'string' ? payload : payload === undefined ? undefined : JSON.stringify(payload),
      });
      expect(response.statusCode, response.body).toBe(400);
      expectErrorShape(response.json(), name === 'body not JSON' ? 'bad_request' : 'validation_failed');
    });

    it('still accepts the well-formed neighbours of those inputs', async () => {
      for (const url of ['/api/contacts?updatedSince=2026-01-01T00:00:00%2B14:00', '/api/contacts?updatedSince=0001-01-01T00:00:00Z',
        `/api/contacts?cursor=${cursor('2026-02-28T23:59:59.999999Z')}`, `/api/integrations/${integrationId}/sync-logs?limit=100`]) {
        expect((await app.inject({ url, headers: auth })).statusCode, url).toBe(200);
      }
      expect((await app.inject({ method: 'PATCH', url: `/api/integrations/${integrationId}`, headers: auth, payload: { displayName: '  Sales — EU ✓ ' } })).json().displayName).toBe('Sales — EU ✓');
    });
  });

  describe('webhooks', () => {
    const secret = SANDBOX_APPS.hubspot.clientSecret;
    const url = '/crm/webhooks/hubspot';
    const sign = (body: string, timestamp: number, key: string = secret) =>
      createHmac('sha256', key).update(`POST${ctx.config.publicUrl}${url}${body}${timestamp}`).digest('base64');
    const send = (body: string, headers: Record<string, string>) =>
      app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/json', ...headers } });
    const deliver = (body: string, timestamp = Date.now()) =>
      send(body, { 'x-hubspot-request-timestamp': String(timestamp), 'x-hubspot-signature-v3': sign(body, timestamp) });
    const event = (eventId: number, attemptNumber = 0) => ({
      eventId, subscriptionId: 7, portalId: Number(portal), appId: 1, occurredAt: 1_796_000_000_000 + eventId, subscriptionType: 'contact.associationChange',
      attemptNumber, changeSource: 'CRM_UI', associationType: 'CONTACT_TO_COMPANY', fromObjectId: 1001, toObjectId: 2001, associationRemoved: false, isPrimaryAssociation: false,
    });
    const stored = async () => asSystem(ctx.db.pool, async (tx) =>
      (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM crm_webhook_events WHERE integration_id = $1', [integrationId])).rows[0]!.n);

    it('stores a delivery once, however often it is replayed or retried', async () => {
      const before = await stored();
      const body = JSON.stringify([event(1)]);
      for (let i = 0; i < 3; i++) expect((await deliver(body)).statusCode).toBe(204);
      expect((await deliver(JSON.stringify([event(1, 1), event(1, 2)]))).statusCode).toBe(204);
      expect(await stored()).toBe(before + 1);
      expect((await deliver(JSON.stringify([event(2)]))).statusCode).toBe(204);
      expect(await stored()).toBe(before + 2);
    });

    it('refuses timestamps outside five minutes either way, and stores nothing from them', async () => {
      const before = await stored();
      const body = JSON.stringify([event(3)]);
      expect((await deliver(body, Date.now() + 365 * 24 * 3600_000)).statusCode).toBe(401);
      expect((await deliver(body, Date.now() + 6 * 60_000)).statusCode).toBe(401);
      expect((await deliver(body, Date.now() - 6 * 60_000)).statusCode).toBe(401);
      expect(await stored()).toBe(before);
      expect((await deliver(body, Date.now() + 60_000)).statusCode).toBe(204);
      expect(await stored()).toBe(before + 1);
    });

    it('refuses a delivery whose signature does not match, and stores nothing from it', async () => {
      const before = await stored();
      const body = JSON.stringify([event(9)]);
      const timestamp = Date.now();
      const refused = [
        // Signed with another app's secret.
        await send(body, { 'x-hubspot-request-timestamp': String(timestamp), 'x-hubspot-signature-v3': sign(body, timestamp, 'not-the-app-secret') }),
        // Signed for another body (the events were altered on the way).
        await send(body, { 'x-hubspot-request-timestamp': String(timestamp), 'x-hubspot-signature-v3': sign(JSON.stringify([event(10)]), timestamp) }),
        // Signed for another timestamp than the one sent.
        await send(body, { 'x-hubspot-request-timestamp': String(timestamp), 'x-hubspot-signature-v3': sign(body, timestamp - 1) }),
        // Not signed at all.
        await send(body, { 'x-hubspot-request-timestamp': String(timestamp) }),
      ];
      for (const response of refused) {
        expect(response.statusCode, response.body).toBe(401);
        expectErrorShape(response.json(), 'unauthorized');
      }
      expect(await stored()).toBe(before);
      // The same body, rightly signed, is taken: what was refused was the signature.
      expect((await deliver(body, timestamp)).statusCode).toBe(204);
      expect(await stored()).toBe(before + 1);
    });

    it.each([
      ['[null]'], ['[{}]'], ['[]'], ['{}'], ['"x"'], ['not json'],
      [JSON.stringify([{ ...event(4), subscriptionType: 'contact\u0000.associationChange' }])],
      [JSON.stringify([{ ...event(5), associationType: 'CONTACT\u0000TO_COMPANY' }])],
      [JSON.stringify([{ ...event(6), extra: 'a\u0000b' }])],
      [JSON.stringify([{ ...event(7), portalId: 'abc' }])],
      [JSON.stringify([{ ...event(8), fromObjectId: -1 }])],
    ])('answers a signed but malformed body %s with 400', async (body) => {
      const response = await deliver(body);
      expect(response.statusCode, response.body).toBe(400);
      expectErrorShape(response.json(), 'validation_failed');
    });
  });

  describe('headers', () => {
    it('sends the security headers on every response', async () => {
      for (const url of ['/api/health', '/api/integrations', '/api/nowhere', '/crm/oauth/callback']) {
        const response = await app.inject({ url });
        expect(response.headers['content-security-policy'], url).toMatch(/frame-ancestors 'none'/);
        expect(response.headers['x-content-type-options'], url).toBe('nosniff');
        expect(response.headers['x-frame-options'], url).toBe('DENY');
        expect(response.headers['referrer-policy'], url).toBeDefined();
      }
    });

    it('compresses what is worth compressing', async () => {
      const response = await app.inject({ url: '/api/openapi.json', headers: { 'accept-encoding': 'br, gzip' } });
      expect(response.headers['content-encoding']).toBe('br');
    });
  });

  describe('/metrics', () => {
    it('takes the API\'s JWT when authentication is configured', async () => {
      expect((await app.inject({ url: '/metrics' })).statusCode).toBe(401);
      expect((await app.inject({ url: '/%6Detrics' })).statusCode).toBe(401);
      const response = await app.inject({ url: '/metrics', headers: auth });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('pulse_http_requests_total');
    });

    it('takes only PULSE_METRICS_TOKEN when it is set', async () => {
      const token = 'metrics-token-0123456789';
      const scraped = await buildApp({ ...ctx, config: { ...ctx.config, PULSE_METRICS_TOKEN: token } }, { serveWeb: false });
      try {
        expect((await scraped.inject({ url: '/metrics', headers: auth })).statusCode).toBe(401);
        expect((await scraped.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}x` } })).statusCode).toBe(401);
        expect((await scraped.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
      } finally {
        await scraped.close();
      }
    });
  });

  describe('live events', () => {
    it('ends the stream when the token that opened it expires', async () => {
      ctx.events = createLocalBus();
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      const shortLived = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('dana').setExpirationTime(Math.floor(Date.now() / 1000) + 2)
        .sign(new TextEncoder().encode(TEST_JWT_SECRET));
      const started = Date.now();
      const response = await fetch(`http://127.0.0.1:${port}/api/events`, { headers: { authorization: `Bearer ${shortLived}` }, signal: AbortSignal.timeout(15_000) });
      expect(response.status).toBe(200);
      await response.text(); // returns when the server ends the stream
      expect(Date.now() - started).toBeLessThan(10_000);
      expect((await fetch(`http://127.0.0.1:${port}/api/events`, { headers: { authorization: `Bearer ${shortLived}` } })).status).toBe(401);
    });
  });

  describe('the data API without an integration filter', () => {
    it('reads the caller\'s rows through the (user_id, updated_at, id) index', async () => {
      // Rows of 20 users, so reading one user's is a small part of the table.
      const userIds: string[] = [];
      for (let u = 0; u < 20; u++) userIds.push(await ensureUser(ctx, `bulk-${u}`));
      await asSystem(ctx.db.pool, async (tx) => {
        for (const [u, userId] of userIds.entries()) {
          const { rows } = await tx.query<{ id: string }>(
            `INSERT INTO crm_integrations (user_id, platform, display_name, external_account_id) VALUES ($1, 'hubspot', 'bulk', $2) RETURNING id`, [userId, `bulk-${u}`]);
          await tx.query(
            `INSERT INTO crm_contacts (integration_id, user_id, remote_id, email, properties, updated_at)
             SELECT $1, $2, g::text, 'c' || g || '@example.test', '{}'::jsonb, now() - g * interval '1 second' FROM generate_series(1, 500) g`,
            [rows[0]!.id, userId]);
        }
        await tx.query('ANALYZE crm_contacts');
      });
      const plan = await asUser(ctx, await ensureUser(ctx, 'bulk-3'), async (tx) => (await tx.query(
        `EXPLAIN SELECT id FROM crm_contacts WHERE ($1::uuid IS NULL OR integration_id = $1) AND (updated_at, id) > ($2::timestamptz, $3::uuid)
         ORDER BY updated_at, id LIMIT 101`, [null, '2000-01-01T00:00:00Z', '00000000-0000-0000-0000-000000000000'])).rows.map((row) => row['QUERY PLAN']).join('\n'));
      expect(plan).toContain('crm_contacts_user_updated_idx');
      expect(plan).not.toMatch(/Seq Scan/);
    });
  });
});
