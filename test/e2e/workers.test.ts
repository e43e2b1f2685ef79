import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Integration } from '../../src/db/integrations-repository.js';
import { asSystem } from '../../src/db/tenant.js';
import { STALLED_RESUMES_LIMIT } from '../../src/sync/reconcile.js';
import { startSyncServices } from '../../src/sync/services.js';
import { connectHubspot } from '../helpers/connect.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { differences } from '../helpers/equality.js';
import { runCli, stop, waitFor, type RunningCli } from '../helpers/process.js';
import { admin, startTestSandbox } from '../helpers/sandbox.js';
import { liveCount, waitForRun } from '../helpers/sync.js';

/**
 * Separate `pulse-crm worker` processes on one PostgreSQL server (embedded PGlite is a single
 * process by nature): a worker killed with SIGKILL mid-sync is replaced and the run resumes from its
 * last committed page; two workers share the runs and never run one twice.
 */
describe('worker processes on one PostgreSQL database', () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let ctx: TestContext;
  let services: Awaited<ReturnType<typeof startSyncServices>>;
  const workers: RunningCli[] = [];

  beforeAll(async () => {
    // HubSpot's OAuth-app limit is on: 10,000 records take ~9 s, time enough to kill workers mid-run.
    sandbox = await startTestSandbox('http://127.0.0.1:3999/crm/oauth/callback', { records: { contacts: 7000, companies: 1000, deals: 2000 } });
    ctx = await createTestContext({ PUBLIC_URL: 'http://127.0.0.1:3999' }, sandbox.wiring, 'postgres');
    services = await startSyncServices(ctx, { workers: 0, scheduler: false });
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => stop(worker, 'SIGKILL')));
    await services?.stop();
    await ctx?.close();
    await sandbox?.close();
  });

  /** A `pulse-crm worker`, with the product's default number of runs at once unless `concurrency` is given. */
  function startWorker(concurrency?: number): RunningCli {
    const port = new URL(sandbox.urls.hubspot).port;
    const worker = runCli(['worker'], {
      DATABASE_URL: ctx.databaseUrl!, PULSE_DATA_DIR: ctx.dataDir, PULSE_SANDBOX_PORT: port, PUBLIC_URL: 'http://127.0.0.1:3999',
      ...(concurrency ? { PULSE_WORKER_CONCURRENCY: String(concurrency) } : {}), PULSE_SCHEDULER_INTERVAL_MS: '500', PULSE_HEARTBEAT_TIMEOUT_MS: '2000', LOG_LEVEL: 'info',
    });
    workers.push(worker);
    return worker;
  }
  const progress = async (logId: string) => asSystem(ctx.db.pool, async (tx) => (await tx.query('SELECT status, records_synced FROM crm_sync_logs WHERE id = $1', [logId])).rows[0]);

  it('resumes a full sync after its worker is killed at several points, ending with exactly the sandbox records', async () => {
    const integration = await connectHubspot(ctx, 'crash-test');
    const { logId } = await ctx.sync!.request({ userId: integration.userId, integrationId: integration.id });
    for (const share of [0.15, 0.5]) {
      const worker = startWorker();
      await waitFor(async () => ((await progress(logId)).records_synced >= share * 10_000 ? true : undefined), `the run to pass ${share * 100}%`, 60_000);
      await stop(worker, 'SIGKILL');
      expect((await progress(logId)).status).toBe('running');
    }
    const last = startWorker();
    const log = await waitForRun(ctx, logId, 120_000);
    await stop(last);
    expect(log.status).toBe('success');
    expect(await differences(ctx, sandbox, integration.id)).toEqual([]);
    expect(await liveCount(ctx, 'crm_contacts', integration.id)).toBe(7000);
    const duplicates = await asSystem(ctx.db.pool, async (tx) => (await tx.query('SELECT count(*) - count(DISTINCT remote_id) AS n FROM crm_contacts WHERE integration_id = $1', [integration.id])).rows[0].n);
    expect(duplicates).toBe(0);
  }, 240_000);

  it('hands a killed worker\'s run to a new worker within seconds every time, never fails it, and keeps its counts exact', async () => {
    // The worker that claimed the run last owns it (a worker presumed dead may still be alive, and loses it).
    const lastClaim = (worker: RunningCli) => Math.max(0, ...worker.output().split('\n')
      .filter((line) => line.includes('"msg":"sync run claimed"') && line.includes(logId)).map((line) => JSON.parse(line).time as number));
    const resumeMs: number[] = [];
    const kills = 7;
    // Pages commit up to 2,000 records at a time: enough contacts that every kill lands mid-listing.
    const seeded = { contacts: 24_000, companies: 1000, deals: 2000 };
    await admin(sandbox, 'POST', '/_sandbox/seed', { records: seeded });
    const integration = await connectHubspot(ctx, 'many-kills');
    // A standby for every kill, all up before the first: the figure is the hand-over, not a process's start.
    const alive = Array.from({ length: kills + 1 }, () => startWorker(1));
    for (const worker of alive) await waitFor(async () => (worker.output().includes('"msg":"sync worker is running"') ? true : undefined), 'the workers to be up', 90_000);
    const { logId } = await ctx.sync!.request({ userId: integration.userId, integrationId: integration.id });
    // More kills than the queue's retry limit (5): a crash must spend none of the retries meant for errors.
    for (let kill = 0; kill < kills; kill++) {
      const before = (await progress(logId)).records_synced;
      await waitFor(async () => ((await progress(logId)).records_synced >= before + 200 ? true : undefined), `progress before kill ${kill + 1}`, 60_000);
      const owner = alive.reduce((latest, worker) => (lastClaim(worker) > lastClaim(latest) ? worker : latest));
      await stop(owner, 'SIGKILL');
      alive.splice(alive.indexOf(owner), 1);
      const killedAt = Date.now();
      const at = (await progress(logId)).records_synced;
      await waitFor(async () => ((await progress(logId)).records_synced > at ? true : undefined), `the run to move again after kill ${kill + 1}`, 60_000);
      resumeMs.push(Date.now() - killedAt);
      expect((await progress(logId)).status).toBe('running');
    }
    const log = await waitForRun(ctx, logId, 120_000);
    await Promise.all(alive.map((worker) => stop(worker)));
    expect(log.status).toBe('success');
    // Counts are written with the rows: each record was committed once, and counted once.
    expect([log.contactsSynced, log.companiesSynced, log.dealsSynced, log.recordsSynced]).toEqual([seeded.contacts, seeded.companies, seeded.deals, 27_000]);
    expect(await differences(ctx, sandbox, integration.id)).toEqual([]);
    await admin(sandbox, 'POST', '/_sandbox/seed', { records: { contacts: 7000, companies: 1000, deals: 2000 } });
    // Heartbeat timeout (2 s) + one scheduler tick (0.5 s) + the first page after the hand-over, with room for a busy machine.
    expect(Math.max(...resumeMs), `resume times ${resumeMs.join(', ')} ms`).toBeLessThan(2_000 + 500 + 4_000);
  }, 300_000);

  it('stops a run that kills its worker again and again without progress, naming where it stood', async () => {
    const integration = await connectHubspot(ctx, 'poison');
    // Every CRM request hangs: the run never writes a page, so each worker dies at the same place.
    await admin(sandbox, 'POST', '/_sandbox/faults', { kind: 'hang', next: 1000 });
    try {
      const { logId } = await ctx.sync!.request({ userId: integration.userId, integrationId: integration.id });
      const claimedBy = async () => asSystem(ctx.db.pool, async (tx) => (await tx.query('SELECT run_token FROM crm_sync_logs WHERE id = $1', [logId])).rows[0].run_token as string | null);
      let owner: string | null = null;
      for (let kill = 0; kill < STALLED_RESUMES_LIMIT; kill++) {
        const worker = startWorker();
        owner = await waitFor(async () => { const token = await claimedBy(); return token && token !== owner ? token : undefined; }, `a worker to claim the run (${kill + 1})`, 60_000);
        await stop(worker, 'SIGKILL');
      }
      const watcher = startWorker();
      const log = await waitForRun(ctx, logId, 60_000);
      await stop(watcher);
      expect(log.status).toBe('failed');
      expect(log.errorMessage).toMatch(new RegExp(`stopped its worker ${STALLED_RESUMES_LIMIT} times in a row without writing anything new`));
      expect(log.errorMessage).toMatch(/at contacts listing position|before its first page/);
    } finally {
      await admin(sandbox, 'DELETE', '/_sandbox/faults');
    }
  }, 300_000);

  it('shares runs between two workers without running any twice', async () => {
    const pair = [startWorker(1), startWorker(1)];
    const integrations: Integration[] = [];
    for (const sub of ['share-1', 'share-2', 'share-3', 'share-4']) integrations.push(await connectHubspot(ctx, sub));
    const runs = await Promise.all(integrations.map((integration) => ctx.sync!.request({ userId: integration.userId, integrationId: integration.id })));
    for (const run of runs) expect((await waitForRun(ctx, run.logId, 180_000)).status).toBe('success');
    const finishedBy = pair.map((worker) => worker.output().split('\n').filter((line) => line.includes('"msg":"sync finished"')).map((line) => JSON.parse(line).logId as string));
    expect(runs.map((run) => finishedBy.filter((ids) => ids.includes(run.logId)).length)).toEqual([1, 1, 1, 1]);
    expect(finishedBy.every((ids) => ids.length > 0)).toBe(true);
    // Both workers drew from one account's HubSpot limit (110 / 10 s) through the shared limiter. On
    // this busy machine (sandbox, test and two workers on 2 cores) a stalled event loop can still bunch
    // a request or two into a window; without the shared limiter hundreds would bounce.
    const counts = await admin(sandbox, 'GET', '/_sandbox/requests');
    expect(counts.byStatus['429'] ?? 0).toBeLessThanOrEqual(Math.ceil(counts.total * 0.01));
  }, 240_000);

  it('keeps every rate-limited run going at once in one process: a run waiting on its account\'s limit holds no place', async () => {
    // Eight HubSpot accounts, each under its own OAuth-app limit (110 requests / 10 s): each run
    // spends most of its ~3 s waiting for its account, which must not keep the others queued.
    const tenants: { integration: Integration; accountId: number }[] = [];
    for (let i = 0; i < 8; i++) {
      const account = await admin(sandbox, 'POST', '/_sandbox/accounts', { records: { contacts: 2100, companies: 300, deals: 600 } });
      tenants.push({ integration: await connectHubspot(ctx, `tenant-${i}`, account.id), accountId: account.id });
    }
    // One process alone takes them all: the earlier tests' workers are stopped first.
    await Promise.all(workers.map((earlier) => stop(earlier)));
    const worker = startWorker();
    await waitFor(async () => (worker.output().includes('"msg":"sync worker is running"') ? true : undefined), 'the worker to be up', 90_000);
    const before = await admin(sandbox, 'GET', '/_sandbox/requests');
    const runs = await Promise.all(tenants.map(({ integration }) => ctx.sync!.request({ userId: integration.userId, integrationId: integration.id })));
    for (const run of runs) expect((await waitForRun(ctx, run.logId, 120_000)).status).toBe('success');
    await stop(worker);
    for (const { integration, accountId } of tenants) expect(await differences(ctx, sandbox, integration.id, accountId)).toEqual([]);
    // Every run was taken before the first one ended: all eight were in progress at one moment.
    const claimedAt = runs.map((run) => Math.max(0, ...worker.output().split('\n')
      .filter((line) => line.includes('"msg":"sync run claimed"') && line.includes(run.logId)).map((line) => JSON.parse(line).time as number)));
    const completedAt = await asSystem(ctx.db.pool, async (tx) => (await tx.query(
      'SELECT extract(epoch FROM completed_at) * 1000 AS at FROM crm_sync_logs WHERE id = ANY($1)', [runs.map((run) => run.logId)])).rows.map((row) => Number(row.at)));
    expect(claimedAt.every((at) => at > 0)).toBe(true);
    expect(Math.max(...claimedAt)).toBeLessThan(Math.min(...completedAt));
    const after = await admin(sandbox, 'GET', '/_sandbox/requests');
    expect((after.byStatus['429'] ?? 0) - (before.byStatus['429'] ?? 0)).toBeLessThanOrEqual(Math.ceil((after.total - before.total) * 0.01));
  }, 240_000);
});
