import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncServices } from '../../src/sync/services.js';
import { connectThroughConsent, startEmulator, type Emulator } from '../conformance/harness.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { engine } from '../helpers/database.js';
import { differences } from '../helpers/equality.js';
import { syncAndWait } from '../helpers/sync.js';

const PUBLIC_URL = 'http://127.0.0.1:3999';
const seed = { contacts: 8000, companies: 10, deals: 10 };

/**
 * Pipedrive's daily token budget, read from `x-daily-ratelimit-token-*` on every answer: a run stops
 * before a request would take the budget into its 5 % reserve — no 429 — and ends `partial`, saying
 * when the budget resets; the next run, once there is budget again, resumes and finishes.
 */
describe(`Pipedrive daily token budget on ${engine}`, () => {
  let emulator: Emulator;
  let ctx: TestContext;
  let services: Awaited<ReturnType<typeof startSyncServices>>;

  beforeAll(async () => {
    emulator = await startEmulator('pipedrive', { redirectUri: `${PUBLIC_URL}/crm/oauth/callback`, records: seed });
    ctx = await createTestContext({ PUBLIC_URL }, emulator.wiring);
    services = await startSyncServices(ctx, { workers: 1, scheduler: false });
  });
  afterAll(async () => {
    await services?.stop();
    await ctx?.close();
    await emulator?.close();
  });

  it('stops short of the budget with the reset time, and the next run resumes to the end', async () => {
    const integration = await connectThroughConsent(ctx, 'pipedrive', 'pd-budget');
    // 20 tokens (the emulator charges one per request), 5 % of them (1) the reserve: the run needs
    // over 20 requests (16 pages of persons, labels, the other objects), so it stops after at most 19.
    await emulator.admin('PUT', '/_sandbox/accounts/default/limits', { tier: 'growth', dailyMax: 20 });
    await emulator.admin('DELETE', '/_sandbox/requests');

    const first = await syncAndWait(ctx, integration.userId, integration.id);
    expect(first.status).toBe('partial');
    expect(first.errorMessage).toMatch(/daily API token budget is nearly spent \(\d of 20 left, 1 of them kept in reserve .*resets at \d{4}-\d\d-\d\dT00:00:00\.000Z/);
    expect(first.errorMessage).toMatch(/the next sync resumes where this one stopped/);
    expect(first.recordsSynced).toBeGreaterThan(0);
    expect(first.recordsSynced).toBeLessThan(seed.contacts + seed.companies + seed.deals);
    const requests = await emulator.admin('GET', '/_sandbox/requests');
    expect(requests.byStatus['429'] ?? 0).toBe(0);
    // The reserve is left: what the run spent stays below the budget.
    // Requests sent side by side can make one look dearer than it is, so it may stop a little earlier.
    expect(requests.total).toBeLessThanOrEqual(20 - 1);
    expect(requests.total).toBeGreaterThanOrEqual(15);

    // A new day (the budget reset): the next run resumes and ends with every record.
    await emulator.admin('PUT', '/_sandbox/accounts/default/limits', { tier: 'growth', dailyMax: 10_000 });
    const second = await syncAndWait(ctx, integration.userId, integration.id);
    expect(second.status).toBe('success');
    expect(await differences(ctx, emulator.url, integration.id)).toEqual([]);
  }, 120_000);
});
