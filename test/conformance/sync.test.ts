import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Integration } from '../../src/db/integrations-repository.js';
import { objectTypes } from '../../src/crm/platforms.js';
import { asSystem } from '../../src/db/tenant.js';
import { credentialsOf, expireStoredToken, reload } from '../helpers/connect.js';
import { engine } from '../helpers/database.js';
import { differences } from '../helpers/equality.js';
import { syncAndWait } from '../helpers/sync.js';
import {
  availablePlatforms, connectorFor, connectThroughConsent, createInEmulator, defaultAccountPath, exportRecords, grantWriteAccess, letSearchCatchUp, notificationsDelivered,
  touchInEmulator,
  type Emulator,
} from './harness.js';
import { startConformanceProduct, type ConformanceProduct } from './product.js';

/**
 * The contract every CRM marked available must meet, against its emulator and through Pulse's real
 * code: connect, full and incremental sync equal to the CRM record by record, faults, quota, rate
 * limits, token refresh and revocation. Nothing here names a CRM (see harness.ts).
 */
/** Enough pages that a run's fixed costs (counts, metadata) are a small part of a full sync's requests. */
const seed = { contacts: 1400, companies: 200, deals: 400 };
const seeded = seed.contacts + seed.companies + seed.deals;
/** Below every fault's hang, above any honest answer on a busy machine. */
const HTTP_TIMEOUT_MS = 1500;

interface RequestCounts { total: number; byKind: Record<string, number>; byStatus: Record<string, number> }

describe.each(availablePlatforms)(`%s conformance on ${engine}`, (platform) => {
  let product: ConformanceProduct;
  let emulator: Emulator;
  let integration: Integration;

  beforeAll(async () => {
    // This suite is the listing path: pushed changes wait (pushed-changes.test.ts applies them), and
    // every incremental lists deletions, a deleted listing that costs the whole archive included (sweep
    // at every run: 0; the sweep's schedule is test/db/archive-sweep.test.ts's).
    product = await startConformanceProduct(platform, {
      env: { PULSE_HTTP_TIMEOUT_MS: String(HTTP_TIMEOUT_MS), PULSE_WEBHOOK_SETTLE_MS: '60000', PULSE_ARCHIVE_SWEEP_MINUTES: '0' }, records: seed,
    });
    emulator = product.emulator;
  });
  afterAll(() => product?.close());
  beforeEach(() => emulator.admin('DELETE', '/_sandbox/faults'));

  const requests = (): Promise<RequestCounts> => emulator.admin('GET', '/_sandbox/requests');
  const resetRequests = () => emulator.admin('DELETE', '/_sandbox/requests');
  const sync = (full = false) => syncAndWait(product.ctx, integration.userId, integration.id, full);
  const differencesNow = () => differences(product.ctx, emulator.url, integration.id);
  const liveInEmulator = async () => (await Promise.all(objectTypes.map(async (object) => (await exportRecords(emulator.url, object)).length))).reduce((a, b) => a + b, 0);

  it('connects through the consent page: the integration is connected, its tokens stored encrypted', async () => {
    integration = await connectThroughConsent(product.ctx, platform, 'conformance', { server: true });
    expect(integration).toMatchObject({ platform, status: 'connected' });
    const credentials = (await credentialsOf(product.ctx, integration))!;
    const raw = await asSystem(product.ctx.db.pool, async (tx) => (await tx.query('SELECT access_token, refresh_token FROM crm_integrations WHERE id = $1', [integration.id])).rows[0]);
    for (const [column, plain] of [['access_token', credentials.accessToken], ['refresh_token', credentials.refreshToken]] as const) {
      expect(plain, column).toMatch(/\S{8,}/);
      expect(raw[column]).toMatch(/^enc:v\d+:/);
      expect(raw[column]).not.toContain(plain);
    }
  });

  it('a first sync lists everything: equal to the emulator record by record', async () => {
    const log = await sync();
    expect(log, log.errorMessage ?? '').toMatchObject({ syncType: 'full', status: 'success', recordsSynced: seeded });
    expect(await differencesNow()).toEqual([]);
  });

  it('creates, updates, deletes and association changes made in the CRM reach Pulse in an incremental sync', async () => {
    const [contacts, companies, deals] = await Promise.all(objectTypes.map((object) => exportRecords(emulator.url, object)));
    const createdContact = await createInEmulator(emulator, 'contacts');
    const createdDeal = await createInEmulator(emulator, 'deals');
    await touchInEmulator(emulator, 'contacts', contacts![0]!.id);
    await touchInEmulator(emulator, 'companies', companies![0]!.id);
    await touchInEmulator(emulator, 'deals', deals![0]!.id);
    await emulator.admin('DELETE', `/_sandbox/records/companies/${companies![1]!.id}`);
    await emulator.admin('DELETE', `/_sandbox/records/contacts/${contacts![1]!.id}`);
    // Links made and removed between records whose own edits say nothing about it.
    const stranger = contacts!.find((contact) => !(deals![2]!.associations?.contacts ?? []).includes(contact.id) && contact.id !== contacts![1]!.id)!;
    await emulator.admin('PUT', '/_sandbox/associations', { fromType: 'deals', fromId: deals![2]!.id, toType: 'contacts', toId: stranger.id });
    await emulator.admin('PUT', '/_sandbox/associations', { fromType: 'deals', fromId: createdDeal, toType: 'companies', toId: companies![3]!.id });
    await emulator.admin('PUT', '/_sandbox/associations', { fromType: 'contacts', fromId: createdContact, toType: 'companies', toId: companies![4]!.id });
    const linked = deals!.find((deal) => (deal.associations?.companies ?? []).some((id) => id !== companies![1]!.id))!;
    const unlinked = linked.associations!.companies!.find((id) => id !== companies![1]!.id)!;
    await emulator.admin('DELETE', '/_sandbox/associations', { fromType: 'deals', fromId: linked.id, toType: 'companies', toId: unlinked });
    await notificationsDelivered(emulator);
    expect(await differencesNow()).not.toEqual([]);

    await letSearchCatchUp(emulator);
    const log = await sync();
    expect(log, log.errorMessage ?? '').toMatchObject({ syncType: 'incremental', status: 'success' });
    expect(await differencesNow()).toEqual([]);
    const deleted = await asSystem(product.ctx.db.pool, async (tx) => (await tx.query('SELECT deleted_at FROM crm_companies WHERE integration_id = $1 AND remote_id = $2', [integration.id, companies![1]!.id])).rows);
    expect(deleted).toEqual([{ deleted_at: expect.any(Date) }]);
  });

  it('a change the CRM\'s search had not yet shown during one run is caught by the next (the overlap window)', async () => {
    const contact = (await exportRecords(emulator.url, 'contacts'))[9]!;
    await touchInEmulator(emulator, 'contacts', contact.id);
    const missed = await sync();
    expect(missed, missed.errorMessage ?? '').toMatchObject({ syncType: 'incremental', status: 'success' });
    // Written before that run started, yet not in what its search could see: Pulse has the old version.
    const stale = await differencesNow();
    expect(stale.length).toBeGreaterThan(0);
    expect(stale.filter((difference) => !difference.startsWith(`contacts ${contact.id}: `))).toEqual([]);
    await letSearchCatchUp(emulator);
    const caught = await sync();
    expect(caught, caught.errorMessage ?? '').toMatchObject({ syncType: 'incremental', status: 'success' });
    expect(await differencesNow()).toEqual([]);
  });

  it('refreshes an expired access token once, and the sync succeeds with the new one', async () => {
    const before = (await credentialsOf(product.ctx, integration))!;
    await expireStoredToken(product.ctx, integration);
    await emulator.admin('POST', '/_sandbox/tokens/expire', {});
    await touchInEmulator(emulator, 'contacts', (await exportRecords(emulator.url, 'contacts'))[5]!.id);
    await letSearchCatchUp(emulator);
    await resetRequests();
    const log = await sync();
    expect(log.status, log.errorMessage ?? '').toBe('success');
    expect((await requests()).byKind.token).toBe(1);
    const after = (await credentialsOf(product.ctx, integration))!;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(Date.parse((await reload(product.ctx, integration)).tokenExpiresAt!)).toBeGreaterThan(Date.now());
    expect(await differencesNow()).toEqual([]);
  });

  it.each([
    ['a burst of 429s', { kind: 429, next: 4 }],
    ['500s', { kind: 500, next: 3 }],
    ['503s', { kind: 503, next: 3 }],
    ['requests that hang past our timeout', { kind: 'hang', next: 2, hangMs: HTTP_TIMEOUT_MS * 3 }],
    ['truncated bodies', { kind: 'truncate', next: 3 }],
    ['the access token expiring mid-sync', { kind: 'expire', next: 1, skip: 4 }],
  ])('a full sync despite %s ends success and equal', async (_name, fault) => {
    await emulator.admin('POST', '/_sandbox/faults', fault);
    const log = await sync(true);
    expect(log.status, log.errorMessage ?? '').toBe('success');
    expect(log.recordsSynced).toBe(await liveInEmulator());
    expect(await differencesNow()).toEqual([]);
    // Every fault fired (a spent rule leaves the list).
    expect((await emulator.admin('GET', '/_sandbox/faults')).faults).toEqual([]);
  });

  it('a spent daily quota ends the run partial; the next run resumes and needs fewer requests than a full sync', async () => {
    const account = await defaultAccountPath(emulator);
    await resetRequests();
    const baseline = await sync(true);
    expect(baseline.status, baseline.errorMessage ?? '').toBe('success');
    const fullSyncRequests = (await requests()).total;

    await emulator.admin('PUT', `${account}/limits`, { dailyMax: Math.floor(fullSyncRequests / 2) });
    const cut = await sync(true);
    expect(cut.status, cut.errorMessage ?? '').toBe('partial');
    expect(cut.errors.map((error) => error.code)).toContain('quota_exhausted');
    expect(cut.recordsSynced).toBeGreaterThan(0);
    expect(cut.recordsSynced).toBeLessThan(baseline.recordsSynced);

    await emulator.admin('PUT', `${account}/limits`, { dailyMax: fullSyncRequests * 100 });
    await resetRequests();
    const resumed = await sync();
    expect(resumed.status, resumed.errorMessage ?? '').toBe('success');
    expect(await differencesNow()).toEqual([]);
    expect((await requests()).total).toBeLessThan(fullSyncRequests);
  });

  it('keeps a full sync within the rate limit: the emulator answers no 429', async () => {
    const account = await defaultAccountPath(emulator);
    const tier = await emulator.admin('GET', `${account}/limits`);
    await resetRequests();
    expect((await sync(true)).status).toBe('success');
    const fullSyncRequests = (await requests()).total;
    // A window of 3 requests a second, so the full sync spans many windows and a single request too
    // many (the one sent before the CRM's headers tell the rate) would be answered 429.
    const windowMax = 3;
    await emulator.admin('PUT', `${account}/limits`, { windowMs: 1000, windowMax });
    try {
      await resetRequests();
      const log = await sync(true);
      expect(log.status, log.errorMessage ?? '').toBe('success');
      const counts = await requests();
      expect(counts.total).toBeGreaterThan(windowMax);
      expect(counts.byStatus['429'] ?? 0).toBe(0);
      expect(await differencesNow()).toEqual([]);
    } finally {
      await emulator.admin('PUT', `${account}/limits`, { windowMs: tier.windowMs, windowMax: tier.windowMax });
    }
  });

  it('writes through the connector reach the CRM and come back equal in the next sync', async () => {
    await grantWriteAccess(product.ctx, emulator, integration);
    const connector = await connectorFor(product.ctx, integration);
    const [contact] = await connector.create('contacts', [{ fields: { firstName: 'Ada', lastName: 'Byron', email: 'ada.conformance@example.com' } }]);
    const [company] = await connector.create('companies', [{ fields: { name: 'Analytical Engines', domain: 'engines.example.com' } }]);
    const [deal] = await connector.create('deals', [{ fields: { name: 'Difference engine', amount: 1843 } }]);
    const seededCompany = (await exportRecords(emulator.url, 'companies'))[7]!;
    const seededDeal = (await exportRecords(emulator.url, 'deals'))[7]!;
    await connector.update('contacts', [{ remoteId: contact!.remoteId, fields: { lastName: 'Lovelace' } }]);
    await connector.update('companies', [{ remoteId: seededCompany.id, fields: { name: 'Renamed by Pulse' } }]);
    await connector.archive('deals', [deal!.remoteId, seededDeal.id]);

    const exported = async (object: 'contacts' | 'companies' | 'deals', id: string) => (await exportRecords(emulator.url, object, 'all')).find((record) => record.id === id);
    expect(await exported('contacts', contact!.remoteId)).toMatchObject({ archived: false });
    expect(await exported('companies', company!.remoteId)).toMatchObject({ archived: false });
    expect(await exported('deals', deal!.remoteId)).toMatchObject({ archived: true });
    expect(await exported('deals', seededDeal.id)).toMatchObject({ archived: true });
    expect((await exported('companies', seededCompany.id))!.updatedAt).not.toBe(seededCompany.updatedAt);

    await letSearchCatchUp(emulator);
    const log = await sync();
    expect(log.status, log.errorMessage ?? '').toBe('success');
    expect(await differencesNow()).toEqual([]);
    const row = (table: string, id: string, columns: string) => asSystem(product.ctx.db.pool, async (tx) => (await tx.query(`SELECT ${columns} FROM ${table} WHERE integration_id = $1 AND remote_id = $2`, [integration.id, id])).rows[0]);
    expect(await row('crm_contacts', contact!.remoteId, 'first_name, last_name, email, deleted_at')).toEqual({ first_name: 'Ada', last_name: 'Lovelace', email: 'ada.conformance@example.com', deleted_at: null });
    expect(await row('crm_companies', company!.remoteId, 'name, domain, deleted_at')).toEqual({ name: 'Analytical Engines', domain: 'engines.example.com', deleted_at: null });
    expect(await row('crm_companies', seededCompany.id, 'name')).toEqual({ name: 'Renamed by Pulse' });
    expect(await row('crm_deals', seededDeal.id, 'deleted_at')).toEqual({ deleted_at: expect.any(Date) });
    // Created and archived between two syncs: Pulse never holds it live.
    const live = await asSystem(product.ctx.db.pool, async (tx) => (await tx.query('SELECT remote_id FROM crm_deals WHERE integration_id = $1 AND remote_id = $2 AND deleted_at IS NULL', [integration.id, deal!.remoteId])).rows);
    expect(live).toEqual([]);
  });

  it('a revoked grant fails the run and marks the integration needs_reauth', async () => {
    await emulator.admin('POST', '/_sandbox/tokens/revoke', {});
    const log = await sync();
    expect(log.status).toBe('failed');
    expect(log.errors.map((error) => error.code)).toContain('auth_revoked');
    expect((await reload(product.ctx, integration)).status).toBe('needs_reauth');
  });
});
