import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConnection } from '../../src/crm/connection-test.js';
import { disconnectIntegration } from '../../src/crm/disconnect.js';
import type { Integration } from '../../src/db/integrations-repository.js';
import { asSystem } from '../../src/db/tenant.js';
import { connectThroughConsent, exportRecords, notificationsDelivered } from '../conformance/harness.js';
import { startConformanceProduct, type ConformanceProduct } from '../conformance/product.js';
import { credentialsOf } from '../helpers/connect.js';
import { engine } from '../helpers/database.js';

/**
 * Pipedrive's webhooks are registered by Pulse after connect (`POST /v1/webhooks`, a secret of their
 * own as HTTP Basic credentials), checked on every delivery, and removed on disconnect. Against the
 * emulator, whose webhooks deliver to our server on a real port.
 */
describe(`Pipedrive webhooks registered on connect, on ${engine}`, () => {
  let product: ConformanceProduct;

  beforeAll(async () => {
    product = await startConformanceProduct('pipedrive', { records: { contacts: 6, companies: 2, deals: 2 } });
  });
  afterAll(() => product?.close());

  interface Hook { id: number; subscription_url: string; event_object: string; event_action: string; http_auth_user: string; http_auth_password: string }
  /**
   * The webhooks the emulator has for the Pipedrive user, read through its API with `reader`'s token
   * (every test connects the same Pipedrive user, so the list holds other tests' webhooks too).
   */
  const allWebhooks = async (reader: Integration): Promise<Hook[]> => {
    const { accessToken } = (await credentialsOf(product.ctx, reader))!;
    const response = await fetch(`${product.emulator.url}/v1/webhooks`, { headers: { authorization: `Bearer ${accessToken}` } });
    return (await response.json()).data;
  };
  const webhooksAtPipedrive = async (integration: Integration) => {
    const [row] = await subscriptionRows(integration);
    return (await allWebhooks(integration)).filter((hook) => hook.subscription_url.endsWith(`/${row.id}`));
  };
  const subscriptionRows = async (integration: Integration) => (await asSystem(product.ctx.db.pool, (tx) =>
    tx.query('SELECT id, remote_ids, secret FROM crm_webhook_subscriptions WHERE integration_id = $1', [integration.id]))).rows;
  const deliver = (path: string, authorization?: string) => fetch(`${product.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ meta: { action: 'delete', entity: 'person', entity_id: '1', company_id: '13000001', id: 'forged-1' }, data: null, previous: {} }),
  });

  it('subscribes persons, organizations and deals to our webhook route with a generated secret, stored sealed', async () => {
    const integration = await connectThroughConsent(product.ctx, 'pipedrive', 'pd-hooks');
    const hooks = await webhooksAtPipedrive(integration);
    expect(hooks.map((hook) => hook.event_object).sort()).toEqual(['deal', 'organization', 'person']);
    const [row] = await subscriptionRows(integration);
    expect(row.remote_ids.sort()).toEqual(hooks.map((hook) => String(hook.id)).sort());
    for (const hook of hooks) {
      expect(hook).toMatchObject({ event_action: '*', subscription_url: `${product.baseUrl}/crm/webhooks/pipedrive/${row.id}`, http_auth_user: 'pulse' });
      expect(hook.http_auth_password.length).toBeGreaterThanOrEqual(32);
      // Only a sealed form is in our database.
      expect(row.secret).not.toContain(hook.http_auth_password);
    }
    expect(row.secret).toMatch(/^enc:/);
  });

  it('records a deletion Pipedrive delivers, and refuses deliveries without the subscription\'s credentials', async () => {
    const integration = await connectThroughConsent(product.ctx, 'pipedrive', 'pd-hooks-delivery');
    const [person] = await exportRecords(product.emulator.url, 'contacts');
    await product.emulator.admin('DELETE', `/_sandbox/records/contacts/${person!.id}`);
    await notificationsDelivered(product.emulator);
    const events = (await asSystem(product.ctx.db.pool, (tx) => tx.query(
      `SELECT kind, object, remote_id FROM crm_webhook_events WHERE integration_id = $1`, [integration.id]))).rows;
    expect(events).toContainEqual({ kind: 'deletion', object: 'contacts', remote_id: String(person!.id) });

    const [row] = await subscriptionRows(integration);
    const [hook] = await webhooksAtPipedrive(integration);
    const basic = (password: string) => `Basic ${Buffer.from(`pulse:${password}`).toString('base64')}`;
    expect((await deliver(`/crm/webhooks/pipedrive/${row.id}`, basic('not-the-secret'))).status).toBe(401);
    expect((await deliver(`/crm/webhooks/pipedrive/${row.id}`)).status).toBe(401);
    // Another subscription's address with this one's credentials, or an address naming none.
    expect((await deliver(`/crm/webhooks/pipedrive/00000000-0000-4000-8000-000000000000`, basic(hook!.http_auth_password))).status).toBe(401);
    expect((await deliver('/crm/webhooks/pipedrive', basic(hook!.http_auth_password))).status).toBe(404);
    expect((await deliver(`/crm/webhooks/pipedrive/${row.id}`, basic(hook!.http_auth_password))).status).toBe(204);
  });

  it('removes its webhooks at Pipedrive on disconnect', async () => {
    const integration = await connectThroughConsent(product.ctx, 'pipedrive', 'pd-hooks-disconnect');
    const hooks = await webhooksAtPipedrive(integration);
    expect(hooks).toHaveLength(3);
    expect(await disconnectIntegration(product.ctx, integration.userId, integration.id)).toBe(true);
    expect(await subscriptionRows(integration)).toEqual([]);
    // Its grant is revoked now: another connection of the same Pipedrive user looks.
    const observer = await connectThroughConsent(product.ctx, 'pipedrive', 'pd-hooks-observer');
    const left = await allWebhooks(observer);
    expect(left.filter((hook) => hooks.some((ours) => ours.id === hook.id))).toEqual([]);
    expect(left.length).toBeGreaterThan(0);
  });

  it('without webhooks:full: connects and syncs without webhooks, and the connection test warns', async () => {
    const app = product.emulator.wiring.apps.pipedrive!;
    await product.emulator.admin('PUT', `/_sandbox/apps/${encodeURIComponent(app.clientId)}`, { scopes: ['base', 'contacts:read', 'deals:read'] });
    try {
      const integration = await connectThroughConsent(product.ctx, 'pipedrive', 'pd-hooks-no-scope');
      expect(integration.grantedScopes).not.toContain('webhooks:full');
      expect(await subscriptionRows(integration)).toEqual([]);
      const verdict = await testConnection(product.ctx, integration);
      expect(verdict.problem).toBeNull();
      expect(verdict.checks.find((check) => check.id === 'webhooks')).toMatchObject({
        status: 'warn', message: expect.stringContaining('only with the daily full listing'),
      });
      const { logId } = await product.ctx.sync!.request({ userId: integration.userId, integrationId: integration.id });
      const status = await waitForRun(product, logId);
      expect(status).toBe('success');
    } finally {
      await product.emulator.admin('PUT', `/_sandbox/apps/${encodeURIComponent(app.clientId)}`, { scopes: ['base', 'contacts:read', 'deals:read', 'webhooks:full'] });
    }
  });
});

async function waitForRun(product: ConformanceProduct, logId: string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const { rows: [row] } = await asSystem(product.ctx.db.pool, (tx) => tx.query('SELECT status FROM crm_sync_logs WHERE id = $1', [logId]));
    if (row.status !== 'running') return row.status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the run did not finish');
}
