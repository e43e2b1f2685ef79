import pg from 'pg';
import PgBoss from 'pg-boss';
import { syncLogsRepository } from '../db/sync-logs-repository.js';
import { withUser } from '../db/tenant.js';
import type { AppContext } from '../app-context.js';
import type { SyncJob } from './run-sync.js';
import { runSyncThroughOutages } from './run-through-outages.js';

/**
 * Sync runs as pg-boss jobs in PostgreSQL: one job per run (never per page), taken by whichever
 * worker process polls first. A job that throws (a bug, a crash) is retried with backoff and
 * resumes from the run's checkpoints; a worker that dies mid-run is detected by its stopped
 * heartbeat (see reconcile.ts) and its job handed back to the queue.
 */
export const SYNC_QUEUE = 'crm-sync';
/** NOTIFY channel that wakes idle workers in every process when a run is queued (pg-boss only polls). */
const WAKE_CHANNEL = 'pulse_sync_wake';

export interface SyncQueue {
  enqueue(job: SyncJob): Promise<void>;
  boss: PgBoss;
  /** This process's workers: woken on enqueue (here, and through NOTIFY elsewhere), not at the next poll. */
  localWorkers: string[];
}

export async function startQueue(ctx: AppContext): Promise<SyncQueue> {
  const boss = new PgBoss({
    db: { executeSql: (text, values) => ctx.db.pool.query(text, values) },
    schema: 'pgboss',
    // Sync runs take minutes at most; the heartbeat finds dead workers long before this.
    expireInHours: 6,
    retryLimit: 5,
    retryDelay: 5,
    retryBackoff: true,
    archiveCompletedAfterSeconds: 3600,
  });
  boss.on('error', (error) => ctx.logger.error({ err: error }, 'job queue error'));
  await underSetupLock(ctx, async () => {
    await boss.start();
    await boss.createQueue(SYNC_QUEUE);
  });
  const localWorkers: string[] = [];
  const wakeLocal = () => { for (const worker of localWorkers) boss.notifyWorker(worker); };
  // On a server, workers in other processes hear about new runs too; if this listener is lost they
  // still find the job at their next poll (0.5 s), so it is an optimisation, never a dependency.
  const listener = ctx.db.kind === 'postgres' ? new pg.Client(ctx.db.connection) : null;
  if (listener) {
    listener.on('notification', wakeLocal);
    listener.on('error', (error) => ctx.logger.warn({ err: error }, 'sync wake-up listener lost; workers poll'));
    await listener.connect();
    await listener.query(`LISTEN ${WAKE_CHANNEL}`);
    // Listening alone must not keep a process alive.
    (listener as unknown as { connection: { stream: { unref?(): void } } }).connection.stream.unref?.();
    boss.once('stopped', () => void listener.end().catch(() => {}));
  }
  return {
    boss,
    localWorkers,
    async enqueue(job) {
      const id = await boss.send(SYNC_QUEUE, job);
      if (id) await withUser(ctx.db.pool, job.userId, (tx) => syncLogsRepository(tx).setJob(job.logId, id));
      wakeLocal();
      if (listener) await ctx.db.pool.query('SELECT pg_notify($1, $2)', [WAKE_CHANNEL, '']).catch(() => {});
    },
  };
}

/** Runs sync jobs in this process, `concurrency` at a time. */
export async function startWorkers(ctx: AppContext, queue: SyncQueue, concurrency: number): Promise<void> {
  for (let i = 0; i < concurrency; i++) {
    const worker = await queue.boss.work<SyncJob>(SYNC_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
      if (job) await runSyncThroughOutages(ctx, job.data);
    });
    queue.localWorkers.push(worker);
  }
}

/**
 * pg-boss creates its schema on first start without a lock of its own that covers `CREATE SCHEMA`:
 * processes starting together on a new database deadlock or collide on it. They take turns here
 * (a session lock on a connection of its own, since pg-boss runs its statements through the pool).
 * The embedded database serves one process, and its single pooled connection must stay free.
 */
const QUEUE_SETUP_LOCK = 0x50_554c_5351; // "PULSQ"

async function underSetupLock(ctx: AppContext, work: () => Promise<void>): Promise<void> {
  if (ctx.db.kind !== 'postgres') return work();
  const client = new pg.Client(ctx.db.connection);
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [QUEUE_SETUP_LOCK]);
    await work();
  } finally {
    await client.end().catch(() => {}); // ending the session releases the lock
  }
}
