import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationsRepository } from '../../src/db/integrations-repository.js';
import { syncLogsRepository } from '../../src/db/sync-logs-repository.js';
import { buildApp } from '../../src/server/app.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { engine } from '../helpers/database.js';
import { asUser, ensureUser, TEST_JWT_SECRET, tokenFor } from '../helpers/users.js';

describe(`integrations API on ${engine}`, () => {
  let ctx: TestContext;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let auth: { authorization: string };
  let integrationId: string;

  beforeAll(async () => {
    ctx = await createTestContext({ PULSE_AUTH_JWT_SECRET: TEST_JWT_SECRET });
    app = await buildApp(ctx, { serveWeb: false });
    const userId = await ensureUser(ctx, 'carol');
    auth = { authorization: `Bearer ${await tokenFor('carol')}` };
    integrationId = await asUser(ctx, userId, async (tx) => {
      const integration = await integrationsRepository(tx, ctx.keys).create({ platform: 'hubspot', displayName: 'Sales', externalAccountId: '123' });
      const logs = syncLogsRepository(tx);
      for (let i = 0; i < 5; i++) await logs.finish((await logs.start(integration.id, 'incremental')).id, 'success', { contacts: i, companies: 0, deals: 0 }, [], null);
      return integration.id;
    });
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  describe('GET /api/health', () => {
    it('is public and reports the database and migrations', async () => {
      const response = await app.inject({ url: '/api/health' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ok', database: engine, migrations: 'current' });
    });
  });

  describe('GET /api/platforms', () => {
    it('is protected', async () => {
      expect((await app.inject({ url: '/api/platforms' })).statusCode).toBe(401);
    });
    it('lists the four CRMs with tiers, scopes, setup steps and the redirect URL', async () => {
      const response = await app.inject({ url: '/api/platforms', headers: auth });
      const { platforms } = response.json();
      expect(platforms.map((p: { id: string }) => p.id)).toEqual(['hubspot', 'salesforce', 'pipedrive', 'zoho']);
      const hubspot = platforms[0];
      expect(hubspot.tiers[0]).toEqual({ name: 'Public OAuth app (any plan)', limits: ['110 requests / 10 s per account', 'Search: 5 requests / s', 'No daily limit'] });
      expect(hubspot.scopes).toContainEqual({ name: 'crm.objects.contacts.read', description: 'Read contacts', required: true });
      expect(hubspot.redirectUrl).toBe('http://127.0.0.1:3000/crm/oauth/callback');
      expect(hubspot.credentials).toBe('missing');
    });
  });

  describe('PATCH /api/integrations/:id', () => {
    const patch = (url: string, payload: unknown) => app.inject({ method: 'PATCH', url, headers: auth, payload: payload as object });

    it('changes the display name, sync switch and interval', async () => {
      const response = await patch(`/api/integrations/${integrationId}`, { displayName: 'Sales EU', syncEnabled: false, settings: { sync_interval_minutes: 30 } });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ id: integrationId, displayName: 'Sales EU', syncEnabled: false, settings: { sync_interval_minutes: 30 } });
      expect(response.json()).not.toHaveProperty('accessToken');
    });

    it('names the problem for a malformed id, wrong types and unknown fields, and changes nothing', async () => {
      const badId = await patch('/api/integrations/not-a-uuid', { syncEnabled: true });
      expect(badId.statusCode).toBe(400);
      expect(badId.json().error.message).toMatch(/params\.id: must be a UUID/);

      const wrongType = await patch(`/api/integrations/${integrationId}`, { syncEnabled: 'yes', displayName: 'Hacked' });
      expect(wrongType.statusCode).toBe(400);
      expect(wrongType.json().error).toMatchObject({ code: 'validation_failed' });
      expect(wrongType.json().error.message).toMatch(/body\.syncEnabled/);

      const unknown = await patch(`/api/integrations/${integrationId}`, { platform: 'zoho' });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.message).toMatch(/platform/);

      const interval = await patch(`/api/integrations/${integrationId}`, { settings: { sync_interval_minutes: 1 } });
      expect(interval.statusCode).toBe(400);
      expect(interval.json().error.message).toMatch(/sync_interval_minutes/);

      const after = await app.inject({ url: `/api/integrations/${integrationId}`, headers: auth });
      expect(after.json()).toMatchObject({ displayName: 'Sales EU', platform: 'hubspot' });
    });

    it('rejects an oversized body with 413 and malformed JSON with 400', async () => {
      const big = await app.inject({ method: 'PATCH', url: `/api/integrations/${integrationId}`, headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify({ displayName: 'x'.repeat(2 * 1024 * 1024) }) });
      expect(big.statusCode).toBe(413);
      expect(big.json().error.code).toBe('payload_too_large');
      const broken = await app.inject({ method: 'PATCH', url: `/api/integrations/${integrationId}`, headers: { ...auth, 'content-type': 'application/json' }, payload: '{"displayName":' });
      expect(broken.statusCode).toBe(400);
      expect(broken.json().error.message).toMatch(/not valid JSON/);
    });

    it('answers 404 for an integration that does not exist', async () => {
      const response = await patch('/api/integrations/00000000-0000-4000-8000-000000000000', { syncEnabled: true });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ error: { code: 'not_found', message: 'Integration was not found.' } });
    });
  });

  describe('GET /api/integrations/:id/sync-logs', () => {
    it('pages newest first with a cursor', async () => {
      const first = await app.inject({ url: `/api/integrations/${integrationId}/sync-logs?limit=3`, headers: auth });
      expect(first.statusCode).toBe(200);
      const page1 = first.json();
      expect(page1.items).toHaveLength(3);
      expect(page1.items[0]).toMatchObject({ integrationId, syncType: 'incremental', status: 'success', contactsSynced: 4, recordsSynced: 4 });
      const second = await app.inject({ url: `/api/integrations/${integrationId}/sync-logs?limit=3&cursor=${page1.nextCursor}`, headers: auth });
      const page2 = second.json();
      expect(page2.items.map((log: { contactsSynced: number }) => log.contactsSynced)).toEqual([1, 0]);
      expect(page2.nextCursor).toBeNull();
    });
    it('rejects a limit out of range and a forged cursor', async () => {
      expect((await app.inject({ url: `/api/integrations/${integrationId}/sync-logs?limit=1000`, headers: auth })).statusCode).toBe(400);
      const forged = await app.inject({ url: `/api/integrations/${integrationId}/sync-logs?cursor=abc`, headers: auth });
      expect(forged.statusCode).toBe(400);
      expect(forged.json().error.message).toMatch(/cursor/);
    });
  });

  describe('DELETE /api/integrations/:id', () => {
    it('removes the integration and its logs', async () => {
      const response = await app.inject({ method: 'DELETE', url: `/api/integrations/${integrationId}`, headers: auth });
      expect(response.statusCode).toBe(204);
      expect((await app.inject({ url: `/api/integrations/${integrationId}`, headers: auth })).statusCode).toBe(404);
    });
  });

  describe('documents and metrics', () => {
    it('serves an OpenAPI document generated from the route schemas', async () => {
      const document = (await app.inject({ url: '/api/openapi.json' })).json();
      expect(document.openapi).toMatch(/^3\./);
      expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/platforms', '/api/integrations', '/api/integrations/{id}', '/api/integrations/{id}/sync-logs']));
      expect(document.paths['/api/integrations/{id}'].patch.requestBody).toBeDefined();
    });
    it('serves Prometheus metrics for HTTP and the pool', async () => {
      const text = (await app.inject({ url: '/metrics', headers: auth })).body;
      expect(text).toMatch(/pulse_http_requests_total\{method="GET",route="\/api\/health",status="200"\} \d+/);
      expect(text).toMatch(/pulse_db_pool_connections\{state="total"\} \d+/);
    });
  });
});
