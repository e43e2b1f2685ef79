import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { asSystem } from '../../src/db/tenant.js';
import { startSyncServices } from '../../src/sync/services.js';
import { connectHubspot } from '../helpers/connect.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { differences } from '../helpers/equality.js';
import { runCli, stop, waitFor, type RunningCli } from '../helpers/process.js';
import { startTestSandbox } from '../helpers/sandbox.js';
import { waitForRun } from '../helpers/sync.js';

/**
 * A worker whose database connections are cut from under it (pg_terminate_backend, as a failover
 * or an operator would) keeps its process and its runs: every run finishes, with exactly the
 * sandbox's records.
 */
describe('a worker process when its database connections drop', () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let ctx: TestContext;
  let services: Awaited<ReturnType<typeof startSyncServices>>;
  let worker: RunningCli | undefined;

  beforeAll(async () => {
    // HubSpot's OAuth-app limit is on, so two accounts of 5,000 records take several seconds each.
    // Access tokens live seconds, so refreshes (a transaction held across a call to the CRM) happen throughout.
    sandbox = await startTestSandbox('http://127.0.0.1:3999/crm/oauth/callback', { records: { contacts: 3000, companies: 700, deals: 1300 }, accessTokenTtlSeconds: 2 });
    ctx = await createTestContext({ PUBLIC_URL: 'http://127.0.0.1:3999' }, sandbox.wiring, 'postgres');
    services = await startSyncServices(ctx, { workers: 0, scheduler: false });
  });
  afterAll(async () => {
    if (worker) await stop(worker, 'SIGKILL');
    await services?.stop();
    await ctx?.close();
    await sandbox?.close();
  });

  it('survives 20 rounds of terminated backends during syncs, and every run ends with the sandbox records', async () => {
    worker = runCli(['worker'], {
      DATABASE_URL: ctx.databaseUrl!, PULSE_DATA_DIR: ctx.dataDir, PULSE_SANDBOX_PORT: new URL(sandbox.urls.hubspot).port,
      PUBLIC_URL: 'http://127.0.0.1:3999', PULSE_WORKER_CONCURRENCY: '2', PULSE_SCHEDULER_INTERVAL_MS: '500', PULSE_HEARTBEAT_TIMEOUT_MS: '5000', LOG_LEVEL: 'info',
    });
    const integrations = [await connectHubspot(ctx, 'drops-1'), await connectHubspot(ctx, 'drops-2')];
    const runs = await Promise.all(integrations.map((integration) => ctx.sync!.request({ userId: integration.userId, integrationId: integration.id })));
    const admin = new pg.Client({ connectionString: ctx.databaseUrl });
    await admin.connect();
    let terminated = 0;
    try {
      const started = await waitFor(async () => worker!.output().split('\n').find((line) => line.includes('sync worker is running')), 'the worker to start');
      // The process that syncs (under the heap cap its supervisor set, bin/heap-cap.js) names its connections.
      const workerApp = `pulse-crm/${JSON.parse(started).pid}`;
      const cut = new Set<number>();
      const backends = async () => (await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [workerApp])).rows.map((row) => row.pid);
      for (let round = 0; round < 20; round++) {
        // Each round cuts connections the worker opened again after the last one (a terminated
        // backend lingers in pg_stat_activity for a moment, so it is told apart by its pid).
        await waitFor(async () => ((await backends()).some((pid) => !cut.has(pid)) ? true : undefined), `the worker to reconnect (round ${round})`);
        // pg_terminate_backend in the select list: it runs only for the rows the WHERE kept.
        const { rows } = await admin.query<{ pid: number; done: boolean }>(
          'SELECT pid, pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = $1', [workerApp]);
        for (const { pid } of rows) cut.add(pid);
        terminated += rows.filter((row) => row.done).length;
        expect(worker.child.exitCode, worker.output()).toBeNull();
      }
    } finally {
      await admin.end();
    }
    expect(terminated).toBeGreaterThanOrEqual(20);
    for (const run of runs) {
      const log = await waitForRun(ctx, run.logId, 120_000);
      expect({ status: log.status, error: log.errorMessage }).toEqual({ status: 'success', error: null });
    }
    expect(worker.child.exitCode, worker.output()).toBeNull();
    expect(worker.output()).not.toMatch(/Unhandled 'error' event|uncaught/i);
    for (const integration of integrations) expect(await differences(ctx, sandbox, integration.id)).toEqual([]);
    const running = await asSystem(ctx.db.pool, async (tx) => (await tx.query(`SELECT count(*)::int AS n FROM crm_sync_logs WHERE status = 'running'`)).rows[0].n);
    expect(running).toBe(0);
  }, 240_000);
});
