import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationsRepository } from '../../src/db/integrations-repository.js';
import { syncLogsRepository } from '../../src/db/sync-logs-repository.js';
import { transaction } from '../../src/db/tenant.js';
import { buildApp } from '../../src/server/app.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { engine } from '../helpers/database.js';
import { asUser, ensureUser, TEST_JWT_SECRET, tokenFor } from '../helpers/users.js';

describe(`tenancy on ${engine}`, () => {
  let ctx: TestContext;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let alice: string;
  let bob: string;
  let integrationId: string;
  let logId: string;
  let bobToken: string;

  beforeAll(async () => {
    ctx = await createTestContext({ PULSE_AUTH_JWT_SECRET: TEST_JWT_SECRET });
    app = await buildApp(ctx, { serveWeb: false });
    alice = await ensureUser(ctx, 'alice');
    bob = await ensureUser(ctx, 'bob');
    bobToken = await tokenFor('bob');
    await asUser(ctx, alice, async (tx) => {
      const integration = await integrationsRepository(tx, ctx.keys).create({ platform: 'hubspot', displayName: 'Alice CRM', accessToken: 'alice-token' });
      integrationId = integration.id;
      logId = (await syncLogsRepository(tx).start(integration.id, 'full')).id;
    });
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  const asBob = (method: 'GET' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url, payload, headers: { authorization: `Bearer ${bobToken}` } });

  it('refuses requests without a bearer token', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/integrations' });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('unauthorized');
  });

  it("does not list another user's integrations", async () => {
    const response = await asBob('GET', '/api/integrations');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ integrations: [] });
  });

  it("answers 404 for reading, changing or deleting another user's integration and its logs", async () => {
    expect((await asBob('GET', `/api/integrations/${integrationId}`)).statusCode).toBe(404);
    expect((await asBob('PATCH', `/api/integrations/${integrationId}`, { syncEnabled: false })).statusCode).toBe(404);
    expect((await asBob('DELETE', `/api/integrations/${integrationId}`)).statusCode).toBe(404);
    expect((await asBob('GET', `/api/integrations/${integrationId}/sync-logs`)).statusCode).toBe(404);
  });

  it('leaves the owner with everything intact afterwards', async () => {
    const response = await app.inject({ url: `/api/integrations/${integrationId}`, headers: { authorization: `Bearer ${await tokenFor('alice')}` } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: integrationId, displayName: 'Alice CRM', syncEnabled: true });
  });

  it("sees 0 rows of another user's data through direct SQL under the app role", async () => {
    await asUser(ctx, bob, async (tx) => {
      expect((await tx.query('SELECT * FROM crm_integrations')).rowCount).toBe(0);
      expect((await tx.query('SELECT * FROM crm_sync_logs')).rowCount).toBe(0);
      expect((await tx.query(`UPDATE crm_integrations SET display_name = 'stolen' WHERE id = $1`, [integrationId])).rowCount).toBe(0);
      expect((await tx.query('UPDATE crm_sync_logs SET status = $2 WHERE id = $1', [logId, 'failed'])).rowCount).toBe(0);
      expect((await tx.query('DELETE FROM crm_sync_logs WHERE id = $1', [logId])).rowCount).toBe(0);
      expect((await tx.query('DELETE FROM crm_integrations WHERE id = $1', [integrationId])).rowCount).toBe(0);
    });
    await asUser(ctx, alice, async (tx) => {
      expect((await tx.query('SELECT display_name FROM crm_integrations WHERE id = $1', [integrationId])).rows).toEqual([{ display_name: 'Alice CRM' }]);
      expect((await tx.query('SELECT status FROM crm_sync_logs WHERE id = $1', [logId])).rows).toEqual([{ status: 'running' }]);
    });
  });

  it("cannot insert a row owned by another user", async () => {
    await expect(asUser(ctx, bob, (tx) =>
      tx.query(`INSERT INTO crm_integrations (user_id, platform) VALUES ($1, 'hubspot')`, [alice]))).rejects.toThrow(/row-level security/);
    await expect(asUser(ctx, bob, (tx) =>
      tx.query(`INSERT INTO crm_sync_logs (integration_id, sync_type, status) VALUES ($1, 'full', 'running')`, [integrationId]))).rejects.toThrow(/row-level security/);
  });

  it('shows nothing under the app role when no user is set, and forces RLS on every tenant table', async () => {
    const appRole = await transaction(ctx.db.pool, (tx) => tx.query(`SET LOCAL ROLE pulse_app`).then(() => {}), (tx) => tx.query('SELECT * FROM crm_integrations'));
    expect(appRole.rowCount).toBe(0);
    const forced = await ctx.db.pool.query(`SELECT relname FROM pg_class WHERE relname IN ('users', 'crm_integrations', 'crm_sync_logs') AND relrowsecurity AND relforcerowsecurity ORDER BY relname`);
    expect(forced.rows.map((row) => row.relname)).toEqual(['crm_integrations', 'crm_sync_logs', 'users']);
  });
});
