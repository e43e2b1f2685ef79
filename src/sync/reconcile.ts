import { asSystem } from '../db/tenant.js';
import { syncLogsRepository } from '../db/sync-logs-repository.js';
import { objectTypes } from '../crm/platforms.js';
import type { AppContext } from '../app-context.js';
import { SYNC_QUEUE, type SyncQueue } from './queue.js';
import type { SyncJob } from './run-sync.js';
import { syncStateRepository } from './sync-state-repository.js';

/**
 * Finds runs whose worker died (no heartbeat for `timeoutMs`) and hands each to a live worker at
 * once, as a new job: recovery is decided by the run's own heartbeat and progress, never by the
 * queue's retry schedule (whose backoff would make the fifth crash cost minutes and the sixth end the
 * run), and a crash spends none of the retries meant for errors. The run resumes from its checkpoints.
 *
 * A run that kills its worker again and again at the same place would be resumed forever: after
 * STALLED_RESUMES_LIMIT resumes in a row without a single new record it is stopped, naming where.
 */
export const HEARTBEAT_TIMEOUT_MS = 30_000;
export const STALLED_RESUMES_LIMIT = 3;

export async function reconcileStaleRuns(ctx: AppContext, queue: SyncQueue, timeoutMs = HEARTBEAT_TIMEOUT_MS): Promise<number> {
  const stale = await asSystem(ctx.db.pool, (tx) => syncLogsRepository(tx).stale(timeoutMs));
  let resumed = 0;
  for (const run of stale) {
    const job = run.jobId ? await queue.boss.getJobById(SYNC_QUEUE, run.jobId) : null;
    // Still waiting in the queue (or about to be retried after an error): a worker will take it.
    if (job && (job.state === 'created' || job.state === 'retry')) continue;
    // Every process reconciles; the first to take the run resumes it, the others leave it.
    const taken = await asSystem(ctx.db.pool, (tx) => syncLogsRepository(tx).takeForResume(run.id, timeoutMs));
    if (!taken) continue;
    if (job?.state === 'active') await queue.boss.cancel(SYNC_QUEUE, job.id).catch(() => {});
    if (taken.stalledResumes >= STALLED_RESUMES_LIMIT) {
      const message = await stalledMessage(ctx, run.integrationId, taken.stalledResumes);
      await asSystem(ctx.db.pool, (tx) => syncLogsRepository(tx).fail(run.id, message));
      await ctx.events?.publish(run.userId, { type: 'sync.error', integrationId: run.integrationId, logId: run.id, code: 'worker_lost', message });
      ctx.logger.error({ logId: run.id, integrationId: run.integrationId }, message);
      continue;
    }
    // The same request as before the crash (a run from `pulse-crm sync` had no job: its type says it).
    const full = (job?.data as SyncJob | undefined)?.full ?? run.syncType === 'full';
    await queue.enqueue({ logId: run.id, integrationId: run.integrationId, userId: run.userId, full });
    await asSystem(ctx.db.pool, (tx) => syncLogsRepository(tx).recordResume(run.id, taken.silentMs));
    resumed++;
    ctx.logger.warn({ logId: run.id, jobId: run.jobId, resumes: taken.resumes, recoveryMs: taken.silentMs },
      `sync worker stopped; its run was handed to another worker ${(taken.silentMs / 1000).toFixed(1)} s after its last heartbeat`);
  }
  return resumed;
}

/** Where the run stood each time it stopped: the objects with a listing in progress and its position. */
async function stalledMessage(ctx: AppContext, integrationId: string, times: number): Promise<string> {
  const places = await asSystem(ctx.db.pool, async (tx) => {
    const found: string[] = [];
    for (const object of objectTypes) {
      const state = await syncStateRepository(tx, integrationId).get(object);
      if (state?.cursor) found.push(`at ${object} listing position ${JSON.stringify(state.cursor.listing).slice(0, 160)}`);
    }
    return found;
  });
  const where = places.length > 0 ? places.join('; ') : 'before its first page';
  return `The sync stopped its worker ${times} times in a row without writing anything new, each time ${where}. `
    + 'It is not resumed again automatically; "Sync now" tries once more, and if it stops again, report this message.';
}
