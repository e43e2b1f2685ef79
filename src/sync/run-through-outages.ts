import { isDatabaseUnavailable } from '../db/unavailable.js';
import type { AppContext } from '../app-context.js';
import { runSync, type SyncJob } from './run-sync.js';

/**
 * A dropped database connection costs the run a pause, not its job: everything written is committed
 * with its checkpoint, so the run simply starts again in place and resumes where it stopped. The
 * queue's retries stay for real errors; a database that stays away this long fails the job as usual.
 */
const MAX_ATTEMPTS = 30;
const MAX_PAUSE_MS = 5_000;

export async function runSyncThroughOutages(ctx: AppContext, job: SyncJob, signal?: AbortSignal): ReturnType<typeof runSync> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runSync(ctx, job);
    } catch (error) {
      if (!isDatabaseUnavailable(error) || attempt >= MAX_ATTEMPTS || signal?.aborted) throw error;
      const pauseMs = Math.min(100 * 2 ** attempt, MAX_PAUSE_MS);
      ctx.logger.warn({ err: error, logId: job.logId, attempt, pauseMs }, 'database connection lost during a sync; resuming from its checkpoints');
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}
