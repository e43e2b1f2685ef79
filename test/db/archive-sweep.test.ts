import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Integration } from '../../src/db/integrations-repository.js';
import { asSystem } from '../../src/db/tenant.js';
import { SANDBOX_APPS } from '../../src/sandbox/index.js';
import { connectHubspot } from '../helpers/connect.js';
import { engine } from '../helpers/database.js';
import { differences, sandboxRecords } from '../helpers/equality.js';
import { waitFor } from '../helpers/process.js';
import { admin } from '../helpers/sandbox.js';
import { startProduct, type RunningProduct } from '../helpers/running-product.js';
import { syncAndWait, waitForRun } from '../helpers/sync.js';

/**
 * An incremental sync's cost does not grow with the CRM's archive: HubSpot's archived listing cannot
 * be read "since" a time, so an incremental reads it only when a sweep is due (PULSE_ARCHIVE_SWEEP_MINUTES,
 * 60 here), a full sync needs none, and a sweep cut short goes on from its cursor. The emulator over
 * HTTP counts every request; "an hour later" is the sync state's last check of deletions moved back.
 */
describe(`archive sweeps on ${engine}`, () => {
  let product: RunningProduct;
  let integration: Integration;
  const ARCHIVED = 400;

  beforeAll(async () => {
    product = await startProduct({ sandbox: { records: { contacts: 500, companies: 50, deals: 50 }, webhooks: { flushDelayMs: 10 } } });
    // An account with an archive four times its live contacts, archived before Pulse ever synced it.
    const ids = (await sandboxRecords(product.sandbox, 'contacts')).slice(0, ARCHIVED).map((record) => record.id);
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < ids.length) await admin(product.sandbox, 'DELETE', `/_sandbox/records/contacts/${ids[next++]}`);
    }));
    integration = await connectHubspot(product.ctx, 'archive');
  });
  afterAll(() => product?.close());

  const sync = (full = false) => syncAndWait(product.ctx, integration.userId, integration.id, full);
  const resetRequests = () => admin(product.sandbox, 'DELETE', '/_sandbox/requests');
  const spent = async () => (await admin(product.sandbox, 'GET', '/_sandbox/requests')) as { total: number; byKind: Record<string, number> };
  const query = async (sql: string, params: unknown[] = []) => asSystem(product.ctx.db.pool, async (tx) => (await tx.query(sql, [integration.id, ...params])).rows);
  const checkedAt = async (): Promise<Record<string, { at: Date | null; cursor: unknown }>> => Object.fromEntries(
    (await query('SELECT object, deletions_checked_at, deletions_cursor FROM crm_sync_state WHERE integration_id = $1'))
      .map((row) => [row.object, { at: row.deletions_checked_at as Date | null, cursor: row.deletions_cursor }]));
  /** As if `minutes` had passed since deletions were last checked (the only clock the schedule reads). */
  const age = (minutes: number, object?: string) => query(
    `UPDATE crm_sync_state SET deletions_checked_at = deletions_checked_at - make_interval(mins => $2) WHERE integration_id = $1 ${object ? 'AND object = $3' : ''}`,
    object ? [minutes, object] : [minutes]);
  const deletedAt = async (table: string, remoteId: string | number) => (await query(`SELECT deleted_at FROM ${table} WHERE integration_id = $1 AND remote_id = $2`, [String(remoteId)]))[0]?.deleted_at ?? null;
  const liveContacts = async () => (await sandboxRecords(product.sandbox, 'contacts'));

  it('a full sync reads no archive (what it does not list is gone) and stamps when deletions were checked', async () => {
    await resetRequests();
    const started = new Date();
    const log = await sync();
    expect(log).toMatchObject({ syncType: 'full', status: 'success', contactsSynced: 100 });
    expect((await spent()).byKind.list).toBe(3); // one page of live records per object, no archived page
    for (const state of Object.values(await checkedAt())) {
      expect(state.at!.getTime()).toBeGreaterThanOrEqual(started.getTime() - 1000);
      expect(state.cursor).toBeNull();
    }
    expect(await differences(product.ctx, product.sandbox, integration.id)).toEqual([]);
  });

  let deletedContact: string;
  let deletedCompany: string;
  it('an incremental with many archived records makes only the changes\' requests, and says deletions wait for the sweep', async () => {
    const before = await checkedAt();
    const [changed, gone] = await liveContacts();
    const [company] = await sandboxRecords(product.sandbox, 'companies');
    deletedContact = String(gone!.id);
    deletedCompany = String(company!.id);
    await admin(product.sandbox, 'PATCH', `/_sandbox/records/contacts/${changed!.id}`, { properties: { firstname: 'Swept' } });
    await admin(product.sandbox, 'DELETE', `/_sandbox/records/contacts/${deletedContact}`);
    await admin(product.sandbox, 'DELETE', `/_sandbox/records/companies/${deletedCompany}`);
    await resetRequests();

    const log = await sync();
    expect(log).toMatchObject({ syncType: 'incremental', status: 'success' });
    const { total, byKind } = await spent();
    expect(byKind.list ?? 0).toBe(0); // not one page of the 401 archived contacts
    expect(byKind.search).toBe(3); // the changes of each object
    expect(total).toBeLessThanOrEqual(6);
    expect((await query('SELECT properties FROM crm_contacts WHERE integration_id = $1 AND remote_id = $2', [changed!.id]))[0].properties.firstname).toBe('Swept');
    // Not yet swept: still live here, and the last check of deletions is where it was.
    expect(await deletedAt('crm_contacts', deletedContact)).toBeNull();
    expect(await deletedAt('crm_companies', deletedCompany)).toBeNull();
    expect(await checkedAt()).toEqual(before);
  });

  it('a deletion arrives at the next due sweep, which reads the whole archive once', async () => {
    await age(61);
    await resetRequests();
    const started = new Date();
    const log = await sync();
    expect(log).toMatchObject({ syncType: 'incremental', status: 'success' });
    // 401 archived contacts: 5 pages of 100; one archived company, no archived deal: a page each.
    expect((await spent()).byKind.list).toBe(5 + 1 + 1);
    expect(await deletedAt('crm_contacts', deletedContact)).toBeInstanceOf(Date);
    expect(await deletedAt('crm_companies', deletedCompany)).toBeInstanceOf(Date);
    for (const state of Object.values(await checkedAt())) expect(state.at!.getTime()).toBeGreaterThanOrEqual(started.getTime() - 1000);
    expect(await differences(product.ctx, product.sandbox, integration.id)).toEqual([]);

    // And not again at the run after.
    await resetRequests();
    expect(await sync()).toMatchObject({ status: 'success' });
    expect((await spent()).byKind.list ?? 0).toBe(0);
  });

  it('a full sync sweeps by itself: a deletion not yet swept is gone after it', async () => {
    const [deal] = await sandboxRecords(product.sandbox, 'deals');
    await admin(product.sandbox, 'DELETE', `/_sandbox/records/deals/${deal!.id}`);
    await resetRequests();
    const started = new Date();
    expect(await sync(true)).toMatchObject({ syncType: 'full', status: 'success' });
    expect((await spent()).byKind.list).toBe(3);
    expect(await deletedAt('crm_deals', deal!.id)).toBeInstanceOf(Date);
    for (const state of Object.values(await checkedAt())) expect(state.at!.getTime()).toBeGreaterThanOrEqual(started.getTime() - 1000);
    expect(await differences(product.ctx, product.sandbox, integration.id)).toEqual([]);
  });

  it('a run a person asks for ("Sync now") sweeps whatever the schedule: the deletion they just made is gone after it', async () => {
    const [deal] = await sandboxRecords(product.sandbox, 'deals');
    await admin(product.sandbox, 'DELETE', `/_sandbox/records/deals/${deal!.id}`);
    await resetRequests();
    const { logId } = await product.ctx.sync!.request({ userId: integration.userId, integrationId: integration.id, byPerson: true });
    expect(await waitForRun(product.ctx, logId)).toMatchObject({ syncType: 'incremental', status: 'success' });
    expect((await spent()).byKind.list).toBeGreaterThanOrEqual(5 + 1 + 1);
    expect(await deletedAt('crm_deals', deal!.id)).toBeInstanceOf(Date);
  });

  it('a sweep cut short goes on from its cursor at the next run, due or not, and ends complete', async () => {
    const [gone] = await liveContacts();
    await admin(product.sandbox, 'DELETE', `/_sandbox/records/contacts/${gone!.id}`);
    await age(61);
    // The archived listing of contacts (its only GET in an incremental) fails from its third page on.
    await admin(product.sandbox, 'POST', '/_sandbox/faults', { kind: 500, next: 1000, skip: 2, method: 'GET', pathPrefix: '/crm/v3/objects/contacts' });
    const cut = await sync();
    expect(cut).toMatchObject({ status: 'partial' });
    expect(cut.errors.map((error) => error.object)).toEqual(['contacts']);
    const stopped = (await checkedAt()).contacts!;
    expect(stopped.cursor).toMatchObject({ position: expect.any(String) }); // after page 2, committed with it
    await admin(product.sandbox, 'DELETE', '/_sandbox/faults');

    // Checked just now by the clock: only the saved cursor makes this run go on.
    await query(`UPDATE crm_sync_state SET deletions_checked_at = now() WHERE integration_id = $1`);
    await resetRequests();
    expect(await sync()).toMatchObject({ status: 'success' });
    // 402 archived contacts: pages 3 to 5 of 5, nothing from the start again; the others not due.
    expect((await spent()).byKind.list).toBe(3);
    const done = (await checkedAt()).contacts!;
    expect(done.cursor).toBeNull();
    // The check is dated from when the cut sweep began, not from its resumption.
    expect(done.at!.getTime()).toBeLessThan(Date.now() - 1000);
    expect(await deletedAt('crm_contacts', gone!.id)).toBeInstanceOf(Date);
    expect(await differences(product.ctx, product.sandbox, integration.id)).toEqual([]);
  });

  const subscribe = (kinds: string[]) => admin(product.sandbox, 'PUT', `/_sandbox/webhooks/${SANDBOX_APPS.hubspot.appId}`, {
    targetUrl: `${product.baseUrl}/crm/webhooks/hubspot`,
    subscriptions: ['contact', 'company', 'deal'].flatMap((object) => kinds.map((kind) => ({ eventType: `${object}.${kind}`, active: true }))),
  });
  const realtime = async () => (await query('SELECT pushed_at, pushes_missed_at FROM crm_integrations WHERE id = $1'))[0] as { pushed_at: Date | null; pushes_missed_at: Date | null };

  it('pushed changes alone do not make sweeps rarer: an app may push changes and not deletions', async () => {
    await subscribe(['propertyChange']);
    const [edited] = await liveContacts();
    await admin(product.sandbox, 'PATCH', `/_sandbox/records/contacts/${edited!.id}`, { properties: { firstname: 'Pushed' } });
    await waitFor(async () => ((await realtime()).pushed_at ? true : undefined), 'the pushed change', 15_000);
    await age(61);
    await resetRequests();
    expect(await sync()).toMatchObject({ syncType: 'incremental', status: 'success' });
    expect((await spent()).byKind.list).toBe(5 + 1 + 1);
  });

  it('while the CRM pushes deletions, the sweep waits a day, and the pushed deletion is there at once', async () => {
    await subscribe(['propertyChange', 'deletion']);
    const [gone] = await liveContacts();
    await admin(product.sandbox, 'DELETE', `/_sandbox/records/contacts/${gone!.id}`);
    await waitFor(async () => ((await deletedAt('crm_contacts', gone!.id)) ? true : undefined), 'the pushed deletion', 15_000);

    await age(120); // past the hour, well inside the day
    await resetRequests();
    expect(await sync()).toMatchObject({ syncType: 'incremental', status: 'success' });
    expect((await spent()).byKind.list ?? 0).toBe(0);

    await age(24 * 60);
    await resetRequests();
    expect(await sync()).toMatchObject({ syncType: 'incremental', status: 'success' });
    expect((await spent()).byKind.list).toBe(5 + 1 + 1);
    expect(await differences(product.ctx, product.sandbox, integration.id)).toEqual([]);
  });

  it('a sweep that finds a deletion no push announced degrades real-time updates, and sweeps are hourly again', async () => {
    await subscribe(['propertyChange']); // deletions no longer pushed
    const [gone] = await liveContacts();
    await admin(product.sandbox, 'DELETE', `/_sandbox/records/contacts/${gone!.id}`);
    await age(25 * 60);
    expect(await sync()).toMatchObject({ syncType: 'incremental', status: 'success' });
    expect(await deletedAt('crm_contacts', gone!.id)).toBeInstanceOf(Date);
    const state = await realtime();
    expect(state.pushes_missed_at!.getTime()).toBeGreaterThan(state.pushed_at!.getTime());

    await age(61);
    await resetRequests();
    expect(await sync()).toMatchObject({ syncType: 'incremental', status: 'success' });
    expect((await spent()).byKind.list).toBe(5 + 1 + 1);
    expect(await differences(product.ctx, product.sandbox, integration.id)).toEqual([]);
  });
});
