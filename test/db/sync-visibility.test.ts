import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationsRepository, type Integration } from '../../src/db/integrations-repository.js';
import { syncLogsRepository } from '../../src/db/sync-logs-repository.js';
import { asSystem } from '../../src/db/tenant.js';
import { createLogger } from '../../src/logger.js';
import { buildApp } from '../../src/server/app.js';
import { reconcileStaleRuns } from '../../src/sync/reconcile.js';
import { createRun } from '../../src/sync/request-sync.js';
import { startSyncServices } from '../../src/sync/services.js';
import { connectHubspot } from '../helpers/connect.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { engine } from '../helpers/database.js';
import { waitFor } from '../helpers/process.js';
import { admin, startTestSandbox } from '../helpers/sandbox.js';
import { syncAndWait, waitForRun } from '../helpers/sync.js';
import { asUser } from '../helpers/users.js';

/**
 * What operators see of runs that are slow or were rescued, read from the database by the process that
 * serves /metrics (not the worker's): a run held back by its CRM account's rate limit says so, and
 * since when, in its row, the integration the status panel reads and pulse_sync_runs; a run resumed
 * after its worker died counts in pulse_sync_run_resumes_total, its recovery time in a histogram and
 * in reconcile's log line.
 */
const records = { contacts: 600, companies: 100, deals: 100 };
const metricsToken = 'visibility-metrics-token-0123456789';

describe(`runs operators can see on ${engine}`, () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let ctx: TestContext;
  let services: Awaited<ReturnType<typeof startSyncServices>>;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let integration: Integration;
  const logLines: string[] = [];

  const metrics = async () => (await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${metricsToken}` } })).body;
  const metric = (text: string, line: string) => {
    const found = text.split('\n').find((row) => row.startsWith(`${line} `));
    return found === undefined ? undefined : Number(found.slice(line.length + 1));
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox('http://127.0.0.1:3999/crm/oauth/callback', { records });
    // A 2 s heartbeat timeout: runs beat every 500 ms, so the rate-limit state is current within that.
    ctx = await createTestContext({ PUBLIC_URL: 'http://127.0.0.1:3999', PULSE_HEARTBEAT_TIMEOUT_MS: '2000', PULSE_METRICS_TOKEN: metricsToken }, sandbox.wiring);
    // What reconcile logs, as a deployment's log collector would read it.
    ctx.logger = createLogger('info', { write: (line: string) => void logLines.push(line) });
    services = await startSyncServices(ctx, { workers: 1, scheduler: false });
    app = await buildApp(ctx, { serveWeb: false });
    integration = await connectHubspot(ctx, 'operator-eyes');
    expect((await syncAndWait(ctx, integration.userId, integration.id, true)).status).toBe('success');
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await services?.stop();
    await ctx?.close();
    await sandbox?.close();
  });

  it('counts a run resumed after its worker died, with how long it went without a heartbeat', async () => {
    const before = await metrics();
    expect(metric(before, 'pulse_sync_run_resumes_total')).toBe(0);
    expect(metric(before, 'pulse_sync_recovery_seconds_count')).toBe(0);

    // A run whose worker died 45 s after its last heartbeat (a run from `pulse-crm sync` has no job).
    const run = await createRun(ctx, { userId: integration.userId, integrationId: integration.id });
    await asSystem(ctx.db.pool, (tx) => tx.query(`UPDATE crm_sync_logs SET heartbeat_at = clock_timestamp() - interval '45 seconds' WHERE id = $1`, [run.logId]));
    expect(await reconcileStaleRuns(ctx, services.queue, 30_000)).toBe(1);
    expect((await waitForRun(ctx, run.logId)).status).toBe('success');

    const after = await metrics();
    expect(metric(after, 'pulse_sync_run_resumes_total')).toBe(1);
    expect(metric(after, 'pulse_sync_recovery_seconds_count')).toBe(1);
    expect(metric(after, 'pulse_sync_recovery_seconds_bucket{le="30"}')).toBe(0);
    expect(metric(after, 'pulse_sync_recovery_seconds_bucket{le="60"}')).toBe(1);
    expect(metric(after, 'pulse_sync_recovery_seconds_sum')).toBeGreaterThanOrEqual(45);
    expect(metric(after, 'pulse_sync_recovery_seconds_sum')).toBeLessThan(55);

    const resumed = logLines.map((line) => JSON.parse(line)).find((entry) => entry.logId === run.logId && entry.recoveryMs !== undefined);
    expect(resumed?.recoveryMs).toBeGreaterThanOrEqual(45_000);
    expect(resumed?.msg).toMatch(/handed to another worker 4\d\.\d s after its last heartbeat/);
  }, 60_000);

  it('shows a run held back by the rate limit as waiting, since when, and as running again once it ends', async () => {
    // Four requests a second: each request now waits ~0.3 s for a slot and takes a few ms.
    await admin(sandbox, 'PUT', '/_sandbox/accounts/default/limits', { windowMs: 1000, windowMax: 4 });
    const started = Date.now();
    const { logId } = await ctx.sync!.request({ userId: integration.userId, integrationId: integration.id, full: true });

    const since = await waitFor(async () => {
      const { rows } = await asSystem(ctx.db.pool, (tx) => tx.query<{ rate_limited_since: Date | null }>('SELECT rate_limited_since FROM crm_sync_logs WHERE id = $1', [logId]));
      return rows[0]?.rate_limited_since ?? undefined;
    }, 'the run to say it waits for the rate limit', 20_000);
    expect(since.getTime()).toBeGreaterThanOrEqual(started - 1_000);
    // The integration as the API (and the status panel) reads it, and the operator's metrics.
    const seen = await asUser(ctx, integration.userId, (tx) => integrationsRepository(tx, ctx.keys).find(integration.id));
    expect(seen?.rateLimitedSince).toBe(since.toISOString());
    const overview = await asSystem(ctx.db.pool, (tx) => integrationsRepository(tx, ctx.keys).overview());
    expect(overview.find((row) => row.id === integration.id)?.rateLimitedSince).toBe(since.toISOString());
    const during = await metrics();
    expect(metric(during, 'pulse_sync_runs{state="waiting_rate_limit"}')).toBe(1);
    expect(metric(during, 'pulse_sync_runs{state="running"}')).toBe(0);
    expect(metric(during, 'pulse_sync_runs{state="retry_scheduled"}')).toBe(0);

    const log = await waitForRun(ctx, logId, 60_000);
    expect(log.status, log.errorMessage ?? '').toBe('success');
    expect(log.recordsSynced).toBe(800);
    // Slow because of the limit, as the state said: ~0.3 s per request.
    expect(log.durationMs!).toBeGreaterThan(log.requests * 200);
    const done = await asUser(ctx, integration.userId, (tx) => integrationsRepository(tx, ctx.keys).find(integration.id));
    expect(done?.rateLimitedSince).toBeNull();
    const afterwards = await metrics();
    expect(metric(afterwards, 'pulse_sync_runs{state="waiting_rate_limit"}')).toBe(0);
    const row = await asSystem(ctx.db.pool, (tx) => syncLogsRepository(tx).find(logId));
    expect(row?.status).toBe('success');
  }, 90_000);
});
