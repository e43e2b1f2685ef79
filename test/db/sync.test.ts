import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_APPS } from '../../src/sandbox/index.js';
import type { TestContext } from '../helpers/context.js';
import { connectHubspot } from '../helpers/connect.js';
import { engine } from '../helpers/database.js';
import { differences, sandboxRecords } from '../helpers/equality.js';
import { admin, type startTestSandbox } from '../helpers/sandbox.js';
import { startProduct, type RunningProduct } from '../helpers/running-product.js';
import { asSystem } from '../../src/db/tenant.js';
import { syncAndWait, waitForRun } from '../helpers/sync.js';
import type { Integration } from '../../src/db/integrations-repository.js';
import { disconnectIntegration } from '../../src/crm/disconnect.js';

/** Full, then incremental sync against the sandbox over HTTP, compared record by record. */
describe(`sync on ${engine}`, () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let ctx: TestContext;
  let product: RunningProduct;
  let integration: Integration;

  beforeAll(async () => {
    // Every incremental here sweeps the archive (0), so it brings deletions too; when it does not have to,
    // and what that saves, is archive-sweep.test.ts's.
    product = await startProduct({ env: { PULSE_HTTP_TIMEOUT_MS: '1500', PULSE_ARCHIVE_SWEEP_MINUTES: '0' }, sandbox: { records: { contacts: 700, companies: 100, deals: 200 }, webhooks: { flushDelayMs: 10 } } });
    ({ sandbox, ctx } = product);
    await admin(sandbox, 'PUT', `/_sandbox/webhooks/${SANDBOX_APPS.hubspot.appId}`, {
      targetUrl: `${product.baseUrl}/crm/webhooks/hubspot`,
      subscriptions: ['contact', 'company', 'deal'].map((object) => ({ eventType: `${object}.associationChange`, active: true })),
    });
    integration = await connectHubspot(ctx, 'syncer');
  });
  afterAll(() => product?.close());
  beforeEach(() => admin(sandbox, 'DELETE', '/_sandbox/faults'));

  const requests = async () => (await admin(sandbox, 'GET', '/_sandbox/requests')).byKind as Record<string, number>;

  it('first sync lists everything: equal to the sandbox, at the minimum number of list requests', async () => {
    await admin(sandbox, 'DELETE', '/_sandbox/requests');
    const log = await syncAndWait(ctx, integration.userId, integration.id);
    expect(log).toMatchObject({ syncType: 'full', status: 'success', contactsSynced: 700, companiesSynced: 100, dealsSynced: 200, recordsSynced: 1000 });
    expect(await differences(ctx, sandbox, integration.id)).toEqual([]);
    expect((await requests()).list).toBe(7 + 1 + 2);
    expect(log.requests).toBeGreaterThanOrEqual(10);
  });

  it('then syncs only what changed: creates, updates, deletes and association changes', async () => {
    const [contact] = await sandboxRecords(sandbox, 'contacts');
    const [, company] = await sandboxRecords(sandbox, 'companies');
    const [deal] = await sandboxRecords(sandbox, 'deals');
    await admin(sandbox, 'PATCH', `/_sandbox/records/contacts/${contact!.id}`, { properties: { firstname: 'Changed', jobtitle: 'CTO' } });
    const created = await admin(sandbox, 'POST', '/_sandbox/records/deals', { properties: { dealname: 'New deal', amount: '4200', dealstage: 'qualifiedtobuy', pipeline: 'default' } });
    await admin(sandbox, 'DELETE', `/_sandbox/records/companies/${company!.id}`);
    await admin(sandbox, 'PUT', '/_sandbox/associations', { fromType: 'deals', fromId: deal!.id, toType: 'contacts', toId: contact!.id });
    await admin(sandbox, 'PUT', '/_sandbox/associations', { fromType: 'deals', fromId: created.id, toType: 'companies', toId: company!.id === 1 ? 2 : (await sandboxRecords(sandbox, 'companies'))[0]!.id });
    await sandbox.hubspot.dispatcher.idle();
    await admin(sandbox, 'DELETE', '/_sandbox/requests');

    const log = await syncAndWait(ctx, integration.userId, integration.id);
    expect(log).toMatchObject({ syncType: 'incremental', status: 'success' });
    expect(await differences(ctx, sandbox, integration.id)).toEqual([]);
    const spent = await requests();
    expect(spent.list ?? 0).toBe(3); // one archived-records page per object
    expect(spent.search).toBe(3);
    const deleted = await asSystem(ctx.db.pool, async (tx) => (await tx.query('SELECT deleted_at FROM crm_companies WHERE integration_id = $1 AND remote_id = $2', [integration.id, String(company!.id)])).rows[0]);
    expect(deleted.deleted_at).toBeInstanceOf(Date);
  });

  it('writes nothing twice: a sync without changes keeps every row as it was', async () => {
    const before = await asSystem(ctx.db.pool, async (tx) => (await tx.query('SELECT count(*)::int AS n, max(updated_at) AS at FROM crm_contacts WHERE integration_id = $1', [integration.id])).rows[0]);
    const log = await syncAndWait(ctx, integration.userId, integration.id);
    expect(log.status).toBe('success');
    const after = await asSystem(ctx.db.pool, async (tx) => (await tx.query('SELECT count(*)::int AS n, max(updated_at) AS at FROM crm_contacts WHERE integration_id = $1', [integration.id])).rows[0]);
    expect(after).toEqual(before);
  });

  it('a requested full sync marks deleted what the CRM no longer lists, though nothing said it was deleted', async () => {
    const deletedAt = async (id: string | number) => asSystem(ctx.db.pool, async (tx) =>
      (await tx.query('SELECT deleted_at FROM crm_contacts WHERE integration_id = $1 AND remote_id = $2', [integration.id, String(id)])).rows[0].deleted_at);
    const [, , contact] = await sandboxRecords(sandbox, 'contacts');
    // Deleted for good (a GDPR deletion): gone from the archived listing too, so no change reports it.
    await admin(sandbox, 'DELETE', `/_sandbox/records/contacts/${contact!.id}?hard=true`);
    expect(await syncAndWait(ctx, integration.userId, integration.id)).toMatchObject({ syncType: 'incremental', status: 'success' });
    expect(await deletedAt(contact!.id)).toBeNull();

    expect(await syncAndWait(ctx, integration.userId, integration.id, true)).toMatchObject({ syncType: 'full', status: 'success' });
    expect(await deletedAt(contact!.id)).toBeInstanceOf(Date);
    expect(await differences(ctx, sandbox, integration.id)).toEqual([]);
  });

  it('disconnecting revokes the grant and removes every synced record with it', async () => {
    const other = await connectHubspot(ctx, 'leaver');
    expect((await syncAndWait(ctx, other.userId, other.id)).status).toBe('success');
    const left = () => asSystem(ctx.db.pool, async (tx) => (await tx.query(
      `SELECT (SELECT count(*) FROM crm_contacts WHERE integration_id = $1) + (SELECT count(*) FROM crm_companies WHERE integration_id = $1)
            + (SELECT count(*) FROM crm_deals WHERE integration_id = $1) + (SELECT count(*) FROM crm_sync_state WHERE integration_id = $1) AS n`, [other.id])).rows[0].n);
    expect(await left()).toBeGreaterThan(1000);
    expect(await disconnectIntegration(ctx, other.userId, other.id)).toBe(true);
    expect(await left()).toBe(0);
    expect(await differences(ctx, sandbox, integration.id)).toEqual([]);
  });

  it('joins the running sync instead of starting a second one', async () => {
    const first = await ctx.sync!.request({ userId: integration.userId, integrationId: integration.id, full: true });
    const second = await ctx.sync!.request({ userId: integration.userId, integrationId: integration.id });
    expect(second).toEqual({ logId: first.logId, joined: true });
    // The joined run is the one run: it ends, and ends well (a swallowed failure here would hide one).
    expect(await waitForRun(ctx, first.logId)).toMatchObject({ syncType: 'full', status: 'success' });
  });
});
