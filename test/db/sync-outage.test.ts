import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSyncServices } from '../../src/sync/services.js';
import { syncLogsRepository, type SyncLog } from '../../src/db/sync-logs-repository.js';
import { asSystem } from '../../src/db/tenant.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { connectHubspot, reload } from '../helpers/connect.js';
import { engine } from '../helpers/database.js';
import { differences } from '../helpers/equality.js';
import { waitFor } from '../helpers/process.js';
import { admin, startTestSandbox } from '../helpers/sandbox.js';
import { syncAndWait, waitForRun } from '../helpers/sync.js';
import type { Integration } from '../../src/db/integrations-repository.js';

/**
 * A CRM that is down for a while: a sync waits it out and ends complete; one that is down longer
 * than the window ends short and is started again by itself, sooner than the next regular sync, with
 * waits that grow while the outage lasts and start short again once a run reaches the CRM.
 */
const listPath = '/crm/v3/objects/';
const records = { contacts: 350, companies: 50, deals: 100 };

const finishedAt = (log: SyncLog) => new Date(log.completedAt!).getTime();

describe(`a sync through a CRM outage on ${engine}`, () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let ctx: TestContext;
  let services: Awaited<ReturnType<typeof startSyncServices>>;
  let integration: Integration;

  beforeAll(async () => {
    sandbox = await startTestSandbox('http://127.0.0.1:3999/crm/oauth/callback', { records });
    // A window comfortably above the 30 s outage below.
    ctx = await createTestContext({ PUBLIC_URL: 'http://127.0.0.1:3999', PULSE_HTTP_TIMEOUT_MS: '700', PULSE_CRM_OUTAGE_WINDOW_MS: '50000' }, sandbox.wiring);
    services = await startSyncServices(ctx, { workers: 1, scheduler: false });
    integration = await connectHubspot(ctx, 'outage-rider');
    expect((await syncAndWait(ctx, integration.userId, integration.id)).status).toBe('success');
  });
  afterAll(async () => {
    await services?.stop();
    await ctx?.close();
    await sandbox?.close();
  });

  it('rides out 30 s of dropped connections mid-sync and ends success with every record, no action taken', async () => {
    // Past the three counts and the first pages, every request to the CRM fails for 30 s (gateway
    // 503s are the same outage to the client: test/unit/http-client.test.ts).
    await admin(sandbox, 'POST', '/_sandbox/faults', { kind: 'drop', forMs: 30_000, skip: 5, pathPrefix: listPath });
    const { logId } = await ctx.sync!.request({ userId: integration.userId, integrationId: integration.id, full: true });
    const log = await waitForRun(ctx, logId, 90_000);
    expect(log.status, log.errorMessage ?? '').toBe('success');
    expect(log.recordsSynced).toBe(500);
    expect(log.durationMs).toBeGreaterThanOrEqual(29_000);
    expect(log.errors).toEqual([]);
    expect(await differences(ctx, sandbox, integration.id)).toEqual([]);
    expect((await reload(ctx, integration)).retryAt).toBeNull();
  }, 90_000);
});

describe(`a sync an outage outlasts, retried by itself, on ${engine}`, () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let ctx: TestContext;
  let services: Awaited<ReturnType<typeof startSyncServices>>;
  let integration: Integration;
  const firstRetryMs = 1_500;

  beforeAll(async () => {
    sandbox = await startTestSandbox('http://127.0.0.1:3999/crm/oauth/callback', { records });
    ctx = await createTestContext({
      PUBLIC_URL: 'http://127.0.0.1:3999', PULSE_HTTP_TIMEOUT_MS: '700', PULSE_CRM_OUTAGE_WINDOW_MS: '2000',
      PULSE_CRM_OUTAGE_RETRY_MS: String(firstRetryMs), PULSE_SCHEDULER_INTERVAL_MS: '200',
    }, sandbox.wiring);
    services = await startSyncServices(ctx, { workers: 1, scheduler: true });
    integration = await connectHubspot(ctx, 'outage-waiter');
    // The scheduler starts the first sync of a new integration by itself.
    const first = await waitFor(() => newerRun(new Date(0)), 'the first scheduled sync');
    expect((await waitForRun(ctx, first.id)).status).toBe('success');
  });
  afterAll(async () => {
    await services?.stop();
    await ctx?.close();
    await sandbox?.close();
  });
  beforeEach(() => admin(sandbox, 'DELETE', '/_sandbox/faults'));

  /** The integration's first run started after `after`, once it exists. */
  async function newerRun(after: Date): Promise<SyncLog | undefined> {
    const { items } = (await asSystem(ctx.db.pool, (tx) => syncLogsRepository(tx).page(integration.id, 20)))!;
    return items.filter((log) => new Date(log.startedAt) > after).sort((a, b) => a.startedAt.localeCompare(b.startedAt))[0];
  }
  async function nextRunAfter(log: SyncLog): Promise<SyncLog> {
    const next = await waitFor(() => newerRun(new Date(log.startedAt)), 'the next run', 20_000);
    return waitForRun(ctx, next.id, 20_000);
  }

  it('ends short, books a retry, runs it when due with a longer wait while the CRM stays down, and ends success once it is back', async () => {
    await admin(sandbox, 'POST', '/_sandbox/faults', { kind: 'drop', forMs: 600_000, pathPrefix: listPath });
    const cut = await syncAndWait(ctx, integration.userId, integration.id);
    expect(['partial', 'failed']).toContain(cut.status);
    expect(cut.errors.map((error) => error.code)).toEqual(['temporary', 'temporary', 'temporary']);
    const firstRetry = (await reload(ctx, integration)).retryAt;
    expect(firstRetry).not.toBeNull();
    const firstWait = new Date(firstRetry!).getTime() - finishedAt(cut);
    expect(firstWait).toBeGreaterThan(firstRetryMs - 500);
    expect(firstWait).toBeLessThan(firstRetryMs + 500);

    // The scheduler starts the retry when it is due, not before, and not at the next regular sync (15 min).
    const retried = await nextRunAfter(cut);
    expect(new Date(retried.startedAt).getTime()).toBeGreaterThanOrEqual(new Date(firstRetry!).getTime() - 50);
    expect(new Date(retried.startedAt).getTime() - new Date(firstRetry!).getTime()).toBeLessThan(2_000);
    expect(['partial', 'failed']).toContain(retried.status);
    const secondRetry = (await reload(ctx, integration)).retryAt;
    const secondWait = new Date(secondRetry!).getTime() - finishedAt(retried);
    expect(secondWait).toBeGreaterThan(2 * firstRetryMs - 500);
    expect(secondWait).toBeLessThan(2 * firstRetryMs + 500);

    await admin(sandbox, 'DELETE', '/_sandbox/faults');
    const recovered = await nextRunAfter(retried);
    expect(recovered.status, recovered.errorMessage ?? '').toBe('success');
    expect(await differences(ctx, sandbox, integration.id)).toEqual([]);
    const after = await reload(ctx, integration);
    expect(after.retryAt).toBeNull();
    expect(after.outageRetries).toBe(0);

    // The waits start short again: the next outage is retried after the first wait, not a doubled one.
    await admin(sandbox, 'POST', '/_sandbox/faults', { kind: 503, forMs: 600_000, pathPrefix: listPath });
    const again = await syncAndWait(ctx, integration.userId, integration.id);
    const wait = new Date((await reload(ctx, integration)).retryAt!).getTime() - finishedAt(again);
    expect(wait).toBeLessThan(firstRetryMs + 500);
    await admin(sandbox, 'DELETE', '/_sandbox/faults');
    expect((await nextRunAfter(again)).status).toBe('success');
  }, 60_000);

  it('does not retry by itself after an auth failure, and drops a pending outage retry', async () => {
    await admin(sandbox, 'POST', '/_sandbox/faults', { kind: 'drop', forMs: 600_000, pathPrefix: listPath });
    await syncAndWait(ctx, integration.userId, integration.id);
    expect((await reload(ctx, integration)).retryAt).not.toBeNull();

    // Before the retry is due, a run meets a revoked grant: no retry will fix that.
    await admin(sandbox, 'DELETE', '/_sandbox/faults');
    await admin(sandbox, 'POST', '/_sandbox/faults', { kind: 'revoke', next: 1, pathPrefix: listPath });
    const revoked = await syncAndWait(ctx, integration.userId, integration.id);
    expect(revoked.errors.map((error) => error.code)).toContain('auth_revoked');
    const after = await reload(ctx, integration);
    expect(after.status).toBe('needs_reauth');
    expect(after.retryAt).toBeNull();
    expect(after.outageRetries).toBe(0);
    // Well past when the outage's retry would have run: nothing started by itself.
    await new Promise((resolve) => setTimeout(resolve, 3 * firstRetryMs));
    expect(await newerRun(new Date(revoked.startedAt))).toBeUndefined();
  }, 30_000);
});
