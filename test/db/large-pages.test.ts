import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BATCH_RECORDS } from '../../src/sync/object-sync.js';
import { startSyncServices } from '../../src/sync/services.js';
import { connectThroughConsent, startEmulator, type Emulator } from '../conformance/harness.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { engine } from '../helpers/database.js';
import { differences } from '../helpers/equality.js';
import { syncAndWait } from '../helpers/sync.js';

const PUBLIC_URL = 'http://127.0.0.1:3998';
// Salesforce lists an object of this size in REST pages of 2,000 rows: each page on its own fills
// the engine's bound on records held for the writer (the bench found a full sync waiting forever on it).
const seed = { contacts: 21_000, companies: 20, deals: 20 };

describe(`pages as large as the writer's batch bound on ${engine}`, () => {
  let emulator: Emulator;
  let ctx: TestContext;
  let services: Awaited<ReturnType<typeof startSyncServices>>;

  beforeAll(async () => {
    emulator = await startEmulator('salesforce', { redirectUri: `${PUBLIC_URL}/crm/oauth/callback`, records: seed });
    ctx = await createTestContext({ PUBLIC_URL }, emulator.wiring);
    services = await startSyncServices(ctx, { workers: 1, scheduler: false });
  }, 60_000);
  afterAll(async () => {
    await services?.stop();
    await ctx?.close();
    await emulator?.close();
  });

  it('a full sync whose pages hold the bound\'s worth of records each goes through, equal to the CRM', async () => {
    const integration = await connectThroughConsent(ctx, 'salesforce', 'large-pages');
    await emulator.admin('DELETE', '/_sandbox/requests');
    const log = await syncAndWait(ctx, integration.userId, integration.id);
    expect(log, log.errorMessage ?? '').toMatchObject({ status: 'success', recordsSynced: seed.contacts + seed.companies + seed.deals });
    // The pages really were that large: 21,000 contacts in pages of MAX_BATCH_RECORDS (and one short one).
    const requests = await emulator.admin('GET', '/_sandbox/requests');
    expect(requests.byKind.list).toBeLessThan(Math.ceil(seed.contacts / MAX_BATCH_RECORDS) + 12);
    expect(await differences(ctx, emulator.url, integration.id)).toEqual([]);
  }, 180_000);
});
