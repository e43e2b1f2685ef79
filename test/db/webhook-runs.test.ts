import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_APPS } from '../../src/sandbox/index.js';
import { asSystem, withUser } from '../../src/db/tenant.js';
import type { Integration } from '../../src/db/integrations-repository.js';
import type { SyncLog } from '../../src/db/sync-logs-repository.js';
import { syncLogsRepository } from '../../src/db/sync-logs-repository.js';
import { connectHubspot, reload } from '../helpers/connect.js';
import { integrationsRepository } from '../../src/db/integrations-repository.js';
import { engine } from '../helpers/database.js';
import { differences, sandboxRecords } from '../helpers/equality.js';
import { waitFor } from '../helpers/process.js';
import { admin } from '../helpers/sandbox.js';
import { startProduct, type RunningProduct } from '../helpers/running-product.js';
import { syncAndWait, waitForRun } from '../helpers/sync.js';

/**
 * Changes the CRM pushes reach Pulse within seconds, without a scheduled sync: the emulator delivers
 * HubSpot's webhooks to the product's inbound route, and a `webhook` run reads the changed records
 * by id. No scheduler runs here: anything that arrives, arrives through a webhook.
 */
describe(`pushed changes on ${engine}`, () => {
  let product: RunningProduct;
  let integration: Integration;

  beforeAll(async () => {
    product = await startProduct({ sandbox: { records: { contacts: 300, companies: 40, deals: 80 }, webhooks: { flushDelayMs: 10 } } });
    await admin(product.sandbox, 'PUT', `/_sandbox/webhooks/${SANDBOX_APPS.hubspot.appId}`, {
      targetUrl: `${product.baseUrl}/crm/webhooks/hubspot`,
      subscriptions: ['contact', 'company', 'deal'].flatMap((object) => ['creation', 'propertyChange', 'deletion', 'associationChange'].map((kind) => ({ eventType: `${object}.${kind}`, active: true }))),
    });
    integration = await connectHubspot(product.ctx, 'pushed');
    expect((await syncAndWait(product.ctx, integration.userId, integration.id)).status).toBe('success');
  });
  afterAll(() => product?.close());

  const requests = async () => (await admin(product.sandbox, 'GET', '/_sandbox/requests')).byKind as Record<string, number>;
  const latestRun = () => asSystem(product.ctx.db.pool, async (tx) => (await syncLogsRepository(tx).page(integration.id, 1))?.items[0]);
  const row = (table: string, remoteId: string | number) => asSystem(product.ctx.db.pool, async (tx) =>
    (await tx.query(`SELECT * FROM ${table} WHERE integration_id = $1 AND remote_id = $2`, [integration.id, String(remoteId)])).rows[0]);
  /** The next run after `after`, once it finished. */
  const nextRun = async (after: string | undefined): Promise<SyncLog> => {
    const run = await waitFor(async () => { const latest = await latestRun(); return latest && latest.id !== after ? latest : undefined; }, 'a run for the pushed changes', 15_000);
    return waitForRun(product.ctx, run.id);
  };

  it('applies a changed, a created and a deleted record within seconds, reading them by id, and logs the run', async () => {
    const before = (await latestRun())?.id;
    await admin(product.sandbox, 'DELETE', '/_sandbox/requests');
    const [contact] = await sandboxRecords(product.sandbox, 'contacts');
    const [, company] = await sandboxRecords(product.sandbox, 'companies');
    await admin(product.sandbox, 'PATCH', `/_sandbox/records/contacts/${contact!.id}`, { properties: { firstname: 'Pushed' } });
    const created = await admin(product.sandbox, 'POST', '/_sandbox/records/deals', { properties: { dealname: 'Pushed deal', amount: '100', dealstage: 'qualifiedtobuy', pipeline: 'default' } });
    await admin(product.sandbox, 'DELETE', `/_sandbox/records/companies/${company!.id}`);

    const run = await nextRun(before);
    expect(run).toMatchObject({ syncType: 'webhook', status: 'success' });
    // The run may take the burst whole or in two; either way every change is here.
    await waitFor(async () => ((await row('crm_companies', company!.id))?.deleted_at ? true : undefined), 'the deletion', 15_000);
    await waitFor(async () => ((await row('crm_deals', created.id)) ? true : undefined), 'the created deal', 15_000);
    expect((await row('crm_contacts', contact!.id)).properties.firstname).toBe('Pushed');
    expect(await differences(product.ctx, product.sandbox, integration.id)).toEqual([]);
    // Read by id: no listing, no search (whose index trails writes).
    const spent = await requests();
    expect(spent.list ?? 0).toBe(0);
    expect(spent.search ?? 0).toBe(0);
    // "Last synced" is a listing's word: pushed changes do not move it.
    const stored = await asSystem(product.ctx.db.pool, async (tx) => (await tx.query('SELECT last_sync_at FROM crm_integrations WHERE id = $1', [integration.id])).rows[0]);
    expect(stored.last_sync_at.getTime()).toBeLessThan(Date.parse(run.startedAt));
  });

  it('lists as well when someone asks for a sync while pushed changes are being applied', async () => {
    // The batch read is held, so the webhook run is still going when "Sync now" is asked for.
    await admin(product.sandbox, 'POST', '/_sandbox/faults', { kind: 'hang', next: 1, hangMs: 1500, pathPrefix: '/crm/v3/objects/contacts/batch/read' });
    try {
      const before = (await latestRun())?.id;
      const [contact] = await sandboxRecords(product.sandbox, 'contacts');
      await admin(product.sandbox, 'PATCH', `/_sandbox/records/contacts/${contact!.id}`, { properties: { jobtitle: 'Pushed again' } });
      const pushed = await waitFor(async () => { const latest = await latestRun(); return latest && latest.id !== before && latest.status === 'running' ? latest : undefined; }, 'the webhook run to start', 15_000);
      const asked = await product.ctx.sync!.request({ userId: integration.userId, integrationId: integration.id });
      expect(asked).toEqual({ logId: pushed.id, joined: true });
      const run = await waitForRun(product.ctx, pushed.id);
      expect(run).toMatchObject({ syncType: 'incremental', status: 'success' });
      expect((await row('crm_contacts', contact!.id)).properties.jobtitle).toBe('Pushed again');
      expect(await differences(product.ctx, product.sandbox, integration.id)).toEqual([]);
    } finally {
      await admin(product.sandbox, 'DELETE', '/_sandbox/faults');
    }
  });

  it('says real-time updates are on while pushes arrive, degraded once a listing finds a change none brought, and on again at the next push', async () => {
    const realtime = async () => (await reload(product.ctx, integration)).realtime;
    const subscribe = (events: string[]) => admin(product.sandbox, 'PUT', `/_sandbox/webhooks/${SANDBOX_APPS.hubspot.appId}`, {
      targetUrl: `${product.baseUrl}/crm/webhooks/hubspot`,
      subscriptions: ['contact', 'company', 'deal'].flatMap((object) => events.map((kind) => ({ eventType: `${object}.${kind}`, active: true }))),
    });
    expect(await realtime()).toMatchObject({ state: 'on', lastPushAt: expect.any(String) });
    const [, , contact, another] = await sandboxRecords(product.sandbox, 'contacts');
    // Deliveries stop (the app's subscriptions are gone). An edit of a property Pulse does not read moves
    // only the record's modified time: no push was missed (HubSpot pushes only subscribed properties).
    await subscribe([]);
    await admin(product.sandbox, 'PATCH', `/_sandbox/records/contacts/${contact!.id}`, { properties: { hs_lead_status: 'IN_PROGRESS' } });
    expect(await syncAndWait(product.ctx, integration.userId, integration.id)).toMatchObject({ syncType: 'incremental', status: 'success' });
    expect((await realtime()).state).toBe('on');
    // Only the scheduled listing sees this change, which Pulse reads: a push was missed.
    await admin(product.sandbox, 'PATCH', `/_sandbox/records/contacts/${contact!.id}`, { properties: { firstname: 'Unpushed' } });
    const listing = await syncAndWait(product.ctx, integration.userId, integration.id);
    expect(listing).toMatchObject({ syncType: 'incremental', status: 'success' });
    expect((await row('crm_contacts', contact!.id)).properties.firstname).toBe('Unpushed');
    expect((await realtime()).state).toBe('degraded');
    // While degraded the listing is due at the integration's own interval again, not the real-time one.
    const due = () => asSystem(product.ctx.db.pool, async (tx) => (await integrationsRepository(tx, product.ctx.keys).dueForSync(0, 60)).map((each) => each.id));
    expect(await due()).toContain(integration.id);
    // Deliveries resume: the next push turns real-time updates on, and the listing waits for the real-time interval.
    await subscribe(['creation', 'propertyChange', 'deletion', 'associationChange']);
    await admin(product.sandbox, 'PATCH', `/_sandbox/records/contacts/${another!.id}`, { properties: { firstname: 'Pushed once more' } });
    await waitFor(async () => ((await realtime()).state === 'on' ? true : undefined), 'real-time updates to be on again', 15_000);
    expect(await due()).not.toContain(integration.id);
  });

  it('degrades when deliveries fail verification (the app\'s secret changed at the CRM), with no change lost', async () => {
    const realtime = async () => (await reload(product.ctx, integration)).realtime;
    const { clientId, clientSecret } = SANDBOX_APPS.hubspot;
    await admin(product.sandbox, 'PUT', `/_sandbox/apps/${clientId}`, { clientSecret: 'rotated-at-hubspot' });
    try {
      const [, , , , contact] = await sandboxRecords(product.sandbox, 'contacts');
      await admin(product.sandbox, 'PATCH', `/_sandbox/records/contacts/${contact!.id}`, { properties: { firstname: 'Signed with another secret' } });
      // The delivery is refused (401) however often HubSpot retries it: only the listing brings the change.
      await waitFor(async () => ((await admin(product.sandbox, 'GET', '/_sandbox/webhooks/deliveries')) as { deliveries: { status: number | null }[] })
        .deliveries.some((delivery) => delivery.status === 401) || undefined, 'a refused delivery', 15_000);
      expect((await row('crm_contacts', contact!.id)).properties.firstname).not.toBe('Signed with another secret');
      expect(await syncAndWait(product.ctx, integration.userId, integration.id)).toMatchObject({ syncType: 'incremental', status: 'success' });
      expect((await row('crm_contacts', contact!.id)).properties.firstname).toBe('Signed with another secret');
      expect((await realtime()).state).toBe('degraded');
    } finally {
      await admin(product.sandbox, 'PUT', `/_sandbox/apps/${clientId}`, { clientSecret });
    }
  });

  it('lets no request join a pushed-changes run once it has decided not to list: the request waits for it to end and opens its own', async () => {
    const late = await connectHubspot(product.ctx, 'joined-late');
    const pushed = (await withUser(product.ctx.db.pool, late.userId, (tx) => syncLogsRepository(tx).openOrJoin(late.id, 'webhook')))!;
    // The run applied its pushed changes and nobody had joined: it seals, and will not list.
    expect(await withUser(product.ctx.db.pool, late.userId, (tx) => syncLogsRepository(tx).seal(pushed.id))).toBe('webhook');
    // "Sync now" arrives now: it is not told to follow a run that will not list.
    const asked = product.ctx.sync!.request({ userId: late.userId, integrationId: late.id, byPerson: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await withUser(product.ctx.db.pool, late.userId, (tx) => syncLogsRepository(tx).finish(pushed.id, 'success', { contacts: 0, companies: 0, deals: 0 }, [], null));
    const { logId, joined } = await asked;
    expect(joined).toBe(false);
    expect(logId).not.toBe(pushed.id);
    expect(await waitForRun(product.ctx, logId)).toMatchObject({ syncType: 'full', status: 'success' });
  });
});
