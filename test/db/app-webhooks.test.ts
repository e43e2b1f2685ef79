import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_APPS } from '../../src/sandbox/index.js';
import { ensureAppWebhooks } from '../../src/crm/app-webhooks.js';
import { wantedSubscriptions } from '../../src/crm/hubspot/app-webhooks.js';
import { syncLogsRepository } from '../../src/db/sync-logs-repository.js';
import { asSystem } from '../../src/db/tenant.js';
import { connectHubspot } from '../helpers/connect.js';
import { engine } from '../helpers/database.js';
import { sandboxRecords } from '../helpers/equality.js';
import { waitFor } from '../helpers/process.js';
import { admin } from '../helpers/sandbox.js';
import { startProduct, type RunningProduct } from '../helpers/running-product.js';
import { syncAndWait, waitForRun } from '../helpers/sync.js';

/**
 * HubSpot's webhooks belong to the app, not to a connection: with the developer credentials, Pulse
 * points the app's target at itself and subscribes what it needs through the management API at
 * connect (and at start), putting back what someone removed or paused, and changing nothing when
 * all is in place. Then a change made in HubSpot reaches Pulse by itself.
 */
describe(`a HubSpot app's webhooks kept by Pulse, on ${engine}`, () => {
  let product: RunningProduct;
  const appId = SANDBOX_APPS.hubspot.appId;
  const key = SANDBOX_APPS.hubspot.developer!.apiKey;
  const management = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${product.sandbox.urls.hubspot}/webhooks/v3/${appId}${path}?hapikey=${key}`, {
      method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined,
    });
    return response.status === 204 ? null : response.json();
  };
  const subscribed = async () => ((await management('GET', '/subscriptions')) as { results: { id: string; eventType: string; propertyName?: string; active: boolean }[] }).results;

  beforeAll(async () => {
    product = await startProduct({ appWebhooks: true, sandbox: { records: 20, webhooks: { flushDelayMs: 10 } } });
  });
  afterAll(() => product?.close());

  it('points the app at us and subscribes creation, deletion, association and each read property\'s changes at connect', async () => {
    expect(await subscribed()).toEqual([]);
    const integration = await connectHubspot(product.ctx, 'app-owner');
    expect(((await management('GET', '/settings')) as { targetUrl: string }).targetUrl).toBe(`${product.baseUrl}/crm/webhooks/hubspot`);
    const kept = (await subscribed()).map(({ eventType, propertyName, active }) => ({ eventType, ...(propertyName ? { propertyName } : {}), active }));
    expect(kept).toEqual(expect.arrayContaining(wantedSubscriptions().map((wanted) => ({ ...wanted, active: true }))));
    expect(kept).toHaveLength(wantedSubscriptions().length);
    expect(kept).toContainEqual({ eventType: 'contact.propertyChange', propertyName: 'email', active: true });

    // A change made in HubSpot now arrives by itself.
    expect((await syncAndWait(product.ctx, integration.userId, integration.id)).status).toBe('success');
    const [contact] = await sandboxRecords(product.sandbox, 'contacts');
    await admin(product.sandbox, 'PATCH', `/_sandbox/records/contacts/${contact!.id}`, { properties: { jobtitle: 'Pushed by the app' } });
    const pushed = await waitFor(async () => asSystem(product.ctx.db.pool, async (tx) => (await syncLogsRepository(tx).page(integration.id, 5))?.items.find((run) => run.syncType === 'webhook')), 'a pushed-changes run', 15_000);
    await waitForRun(product.ctx, pushed.id);
    const stored = await asSystem(product.ctx.db.pool, async (tx) => (await tx.query('SELECT properties FROM crm_contacts WHERE integration_id = $1 AND remote_id = $2', [integration.id, String(contact!.id)])).rows[0]);
    expect(stored.properties.jobtitle).toBe('Pushed by the app');
  });

  it('changes nothing when all is in place, and puts back what was removed, paused or pointed elsewhere', async () => {
    expect(await ensureAppWebhooks(product.ctx, 'hubspot')).toEqual({ changed: [] });
    const [removed, paused] = await subscribed();
    await management('DELETE', `/subscriptions/${removed!.id}`);
    await management('PATCH', `/subscriptions/${paused!.id}`, { active: false });
    await management('PUT', '/settings', { targetUrl: 'https://elsewhere.example.com/hooks' });
    const outcome = await ensureAppWebhooks(product.ctx, 'hubspot');
    expect(outcome!.changed.sort()).toEqual(['targetUrl', ...[removed!, paused!].map((each) => `${each.eventType}${each.propertyName ? `:${each.propertyName}` : ''}`)].sort());
    expect((await subscribed()).every((each) => each.active)).toBe(true);
    expect(await subscribed()).toHaveLength(wantedSubscriptions().length);
    expect(((await management('GET', '/settings')) as { targetUrl: string }).targetUrl).toBe(`${product.baseUrl}/crm/webhooks/hubspot`);
  });

  it('says nothing is kept without developer credentials, and a refused key fails softly (logged; polling goes on)', async () => {
    const other = await startProduct({ sandbox: { records: 5 } });
    try {
      expect(await ensureAppWebhooks(other.ctx, 'hubspot')).toBeNull();
    } finally {
      await other.close();
    }
    const wrong = await startProduct({ appWebhooks: true, sandbox: { records: 5 } });
    try {
      const endpoints = wrong.ctx.endpoints;
      wrong.ctx.endpoints = (platform) => ({ ...endpoints(platform), developer: { appId: String(appId), apiKey: 'not-the-key' } });
      expect(await ensureAppWebhooks(wrong.ctx, 'hubspot')).toBeNull();
    } finally {
      await wrong.close();
    }
  });
});
