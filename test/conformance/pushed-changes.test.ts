import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationsRepository, type Integration } from '../../src/db/integrations-repository.js';
import { syncLogsRepository, type SyncLog } from '../../src/db/sync-logs-repository.js';
import { asSystem } from '../../src/db/tenant.js';
import { engine } from '../helpers/database.js';
import { differences } from '../helpers/equality.js';
import { waitFor } from '../helpers/process.js';
import { syncAndWait, waitForRun } from '../helpers/sync.js';
import { availablePlatforms, connectorFor, connectThroughConsent, createInEmulator, exportRecords, letSearchCatchUp, pushesAssociationChanges, pushesDeletions, setUpManualWebhooks, touchInEmulator, type Emulator } from './harness.js';
import { startConformanceProduct, type ConformanceProduct } from './product.js';

/**
 * Changes made in the CRM reach Pulse within seconds through its webhooks, with no scheduled sync
 * running: records created, changed and deleted, read by id by a run of type `webhook`. For every
 * available CRM whose connector reads records by id (`Connector.readRecords`), the hook a CRM
 * implements to join; the others are skipped here and say so.
 */
const seed = { contacts: 300, companies: 60, deals: 100 };

describe.each(availablePlatforms)(`%s pushed changes on ${engine}`, (platform) => {
  let product: ConformanceProduct;
  let emulator: Emulator;
  let integration: Integration;
  let readsById = false;

  beforeAll(async () => {
    product = await startConformanceProduct(platform, { records: seed });
    emulator = product.emulator;
    // Where notifications are a permission of their own, the person grants it: this is about them.
    integration = await connectThroughConsent(product.ctx, platform, 'pushed', { server: true, everyOptionalScope: true });
    // Where no app can subscribe, the person sets the CRM up by hand with the address Pulse shows.
    await setUpManualWebhooks(product.ctx, emulator, integration);
    readsById = typeof (await connectorFor(product.ctx, integration)).readRecords === 'function';
    const first = await syncAndWait(product.ctx, integration.userId, integration.id);
    expect(first.status, first.errorMessage ?? '').toBe('success');
  });
  afterAll(() => product?.close());

  const latestRun = () => asSystem(product.ctx.db.pool, async (tx) => (await syncLogsRepository(tx).page(integration.id, 1))?.items[0]);
  const runsSince = async (after: string): Promise<SyncLog[]> => asSystem(product.ctx.db.pool, async (tx) =>
    ((await syncLogsRepository(tx).page(integration.id, 20))?.items ?? []).filter((run) => Date.parse(run.startedAt) >= Date.parse(after)));

  it('applies records created, changed and deleted in the CRM within seconds, by webhook runs alone', async ({ skip }) => {
    if (!readsById) skip(`${platform}'s connector does not read records by id yet`);
    const [contacts, companies] = [await exportRecords(emulator.url, 'contacts'), await exportRecords(emulator.url, 'companies')];
    const since = new Date().toISOString();
    await createInEmulator(emulator, 'contacts');
    await touchInEmulator(emulator, 'contacts', contacts[0]!.id);
    await touchInEmulator(emulator, 'companies', companies[0]!.id);
    // A deletion where the CRM pushes them; where it does not, the listing brings it (below).
    if (pushesDeletions(platform)) await emulator.admin('DELETE', `/_sandbox/records/contacts/${contacts[1]!.id}`);
    // A CRM pushes a change once it is committed, and its emulator holds writes uncommitted for the
    // search/commit lag the suite runs with: let that pass (by-id reads never trail writes anyway).
    await letSearchCatchUp(emulator);

    // No scheduler runs here: only webhook runs can bring these (the bench measures how fast).
    await waitFor(async () => ((await differences(product.ctx, emulator.url, integration.id)).length === 0 ? true : undefined), 'Pulse to hold the CRM\'s changes', 20_000)
      .catch(async (error) => { throw new Error(`${(error as Error).message}: ${(await differences(product.ctx, emulator.url, integration.id)).slice(0, 5).join('; ')}`); });
    const latest = await latestRun();
    if (latest?.status === 'running') await waitForRun(product.ctx, latest.id);
    const runs = await runsSince(since);
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.every((run) => run.syncType === 'webhook' && run.status === 'success'), JSON.stringify(runs.map((run) => [run.syncType, run.status]))).toBe(true);

    if (!pushesDeletions(platform) || !pushesAssociationChanges(platform)) {
      // What this CRM does not push comes with the next scheduled (incremental) sync's listing.
      if (!pushesDeletions(platform)) await emulator.admin('DELETE', `/_sandbox/records/contacts/${contacts[1]!.id}`);
      if (!pushesAssociationChanges(platform)) {
        const [deal] = await exportRecords(emulator.url, 'deals');
        const contact = contacts.find((c) => c.id !== contacts[1]!.id && !(deal!.associations?.contacts ?? []).includes(c.id))!;
        await emulator.admin('PUT', '/_sandbox/associations', { fromType: 'deals', fromId: deal!.id, toType: 'contacts', toId: contact.id });
      }
      await letSearchCatchUp(emulator);
      const listing = await syncAndWait(product.ctx, integration.userId, integration.id);
      expect(listing.status, listing.errorMessage ?? '').toBe('success');
      expect(await differences(product.ctx, emulator.url, integration.id)).toEqual([]);
      // What the CRM never pushes is no missed push: real-time updates stay on.
      const after = await asSystem(product.ctx.db.pool, (tx) => integrationsRepository(tx, product.ctx.keys).find(integration.id));
      expect(after!.realtime.state).toBe('on');
    }
  });
});
