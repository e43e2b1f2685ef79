import { createLocalBus, createPostgresBus } from '../events/bus.js';
import type { AppContext } from '../app-context.js';
import { startQueue, startWorkers, SYNC_QUEUE, type SyncQueue } from './queue.js';
import { requestSync } from './request-sync.js';
import { startScheduler } from './scheduler.js';
import { startWebhookRuns } from './webhook-runs.js';

/**
 * Switches on the sync machinery for a process: the event bus (NOTIFY across processes on a real
 * server, in-process on embedded PGlite), the queue, and optionally workers and the scheduler.
 */
export async function startSyncServices(ctx: AppContext, options: { workers: number; scheduler: boolean }): Promise<{ queue: SyncQueue; stop(): Promise<void> }> {
  ctx.events = ctx.db.kind === 'postgres'
    ? await createPostgresBus(ctx.db.pool, ctx.db.connection, ctx.logger)
    : createLocalBus();
  const queue = await startQueue(ctx);
  ctx.sync = { request: (request) => requestSync(ctx, queue, request), queued: () => queue.boss.getQueueSize(SYNC_QUEUE, { before: 'active' }) };
  const workers = options.workers > 0 ? startWorkers(ctx, queue, options.workers) : null;
  const stopScheduler = options.scheduler ? startScheduler(ctx, queue) : () => {};
  // Where runs are worked, pushed changes are looked for too: a server alone only records them.
  const stopWebhookRuns = options.workers > 0 ? startWebhookRuns(ctx, queue) : () => {};
  return {
    queue,
    async stop() {
      stopScheduler();
      stopWebhookRuns();
      await workers?.stop();
      await queue.boss.stop({ graceful: true, timeout: 5_000, wait: true }).catch(() => {});
      await ctx.events?.close();
    },
  };
}
