import { asSystem } from '../db/tenant.js';
import { syncLogsRepository } from '../db/sync-logs-repository.js';
import type { AppContext } from '../app-context.js';
import { SYNC_QUEUE, type SyncQueue } from './queue.js';

/**
 * Finds runs whose worker died (no heartbeat for a while). If their job is still marked active, it
 * is failed so pg-boss retries it and another worker resumes from the checkpoints; if the job is
 * gone for good, the run is closed as failed, so the integration can sync again.
 */
export const HEARTBEAT_TIMEOUT_MS = 30_000;

export async function reconcileStaleRuns(ctx: AppContext, queue: SyncQueue, timeoutMs = HEARTBEAT_TIMEOUT_MS): Promise<number> {
  const stale = await asSystem(ctx.db.pool, (tx) => syncLogsRepository(tx).stale(timeoutMs));
  for (const run of stale) {
    const job = run.jobId ? await queue.boss.getJobById(SYNC_QUEUE, run.jobId) : null;
    // Still waiting in the queue (or about to be retried): nothing is wrong, a worker will take it.
    if (job && (job.state === 'created' || job.state === 'retry')) continue;
    if (job?.state === 'active') {
      await queue.boss.fail(SYNC_QUEUE, run.jobId!, { message: 'worker stopped sending heartbeats' });
      // Fresh heartbeat: the retry gets a full timeout before anyone looks again.
      await asSystem(ctx.db.pool, (tx) => syncLogsRepository(tx).touch(run.id));
      ctx.logger.warn({ logId: run.id, jobId: run.jobId }, 'sync worker stopped; its run was handed back to the queue');
      continue;
    }
    // No job (a `pulse-crm sync` that died, a run never queued) or a job that ended: nobody will finish
    // this run, and while it stays "running" every new request would join it.
    await asSystem(ctx.db.pool, (tx) => syncLogsRepository(tx).fail(run.id, 'The sync stopped unexpectedly (its worker went away). The next sync resumes from where it stopped.'));
    await ctx.events?.publish(run.userId, { type: 'sync.error', integrationId: run.integrationId, logId: run.id, code: 'worker_lost', message: 'The sync stopped unexpectedly; the next one resumes where it stopped.' });
  }
  return stale.length;
}
