import { setTimeout as delay } from 'node:timers/promises';
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
  /** Calls `listener` whenever a run is queued, here or (through NOTIFY) in another process; returns its removal. */
  onQueued(listener: () => void): () => void;
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
  const listeners = new Set<() => void>();
  const wakeLocal = () => { for (const listener of listeners) listener(); };
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
    onQueued(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async enqueue(job) {
      const id = await boss.send(SYNC_QUEUE, job);
      if (id) await withUser(ctx.db.pool, job.userId, (tx) => syncLogsRepository(tx).setJob(job.logId, id));
      wakeLocal();
      if (listener) await ctx.db.pool.query('SELECT pg_notify($1, $2)', [WAKE_CHANNEL, '']).catch(() => {});
    },
  };
}

/** How often an idle process looks for queued runs when no wake-up reached it (a lost NOTIFY). */
const POLL_MS = 500;
/** How long stopping waits for runs in progress; a run cut off here is resumed from its checkpoints. */
const STOP_GRACE_MS = 5_000;

/**
 * Runs sync jobs in this process, up to `maxRuns` at once, taking a job the moment a place frees.
 * A run spends most of its life waiting (for its account's rate limit, for the CRM) and a waiting run
 * costs a few KB, so one process keeps many going; what is really scarce is bounded where it is
 * spent: database connections by the pool, fetched rows by the process's record budget
 * (record-budget.ts), the CPU by the one event loop. pg-boss's own workers are not used: each takes
 * a fixed batch and waits for its slowest member, so a big account's run would hold its place idle.
 */
export function startWorkers(ctx: AppContext, queue: SyncQueue, maxRuns: number): { stop(): Promise<void> } {
  const running = new Set<Promise<void>>();
  let stopped = false;
  let wake: (() => void) | null = null;
  const nudge = () => { wake?.(); wake = null; };
  const stopListening = queue.onQueued(nudge);

  const run = (job: PgBoss.Job<SyncJob>) => {
    const finished: Promise<void> = runSyncThroughOutages(ctx, job.data)
      // A job that throws is retried by the queue (retryLimit, backoff) and resumes from its checkpoints.
      .then(() => queue.boss.complete(SYNC_QUEUE, job.id), (error: Error) => queue.boss.fail(SYNC_QUEUE, job.id, { message: error.message, stack: error.stack }))
      .then(() => {}, (error) => ctx.logger.error({ err: error, jobId: job.id }, 'could not record how a sync job ended; the heartbeat check will find its run'))
      .finally(() => { running.delete(finished); nudge(); });
    running.add(finished);
  };

  const loop = (async () => {
    while (!stopped) {
      const free = maxRuns - running.size;
      const jobs = free > 0
        ? await queue.boss.fetch<SyncJob>(SYNC_QUEUE, { batchSize: free }).catch((error) => {
          ctx.logger.warn({ err: error }, 'could not look for queued sync runs; trying again');
          return [];
        })
        : [];
      for (const job of jobs) run(job);
      if (jobs.length > 0 && jobs.length === free) continue;
      const controller = new AbortController();
      wake = () => controller.abort();
      await delay(POLL_MS, undefined, { signal: controller.signal }).catch(() => {});
    }
  })();

  return {
    async stop() {
      stopped = true;
      stopListening();
      nudge();
      await loop;
      await Promise.race([Promise.allSettled(running), delay(STOP_GRACE_MS)]);
    },
  };
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
