import { asSystem } from '../db/tenant.js';
import { webhookEventsRepository } from '../db/webhook-events-repository.js';
import type { AppContext } from '../app-context.js';
import { every } from '../lib/every.js';
import type { SyncQueue } from './queue.js';
import { requestSync } from './request-sync.js';

/**
 * Changes a CRM pushes reach Pulse within seconds: every worker process looks, twice a second, for
 * integrations whose pushed events have waited `settleMs` (so a burst becomes one run, not one per
 * event) and starts a `webhook` run for each, which reads the changed records by id
 * (object-sync.ts, applyPushedChanges). The events are durable rows: a process that dies before
 * acting leaves them for the next look, and an integration syncing now is looked at again after.
 */
const LOOK_EVERY_MS = 500;

export function startWebhookRuns(ctx: AppContext, queue: SyncQueue, settleMs = ctx.config.PULSE_WEBHOOK_SETTLE_MS): () => void {
  const look = async () => {
    const due = await asSystem(ctx.db.pool, (tx) => webhookEventsRepository(tx).dueForWebhookRuns(settleMs));
    for (const { integrationId, userId } of due) {
      // Every process looks; the one-running-run index makes the second request join the first.
      await requestSync(ctx, queue, { userId, integrationId, pushed: true })
        .catch((error) => ctx.logger.warn({ err: error, integrationId }, 'could not start a run for pushed changes; trying again'));
    }
  };
  return every(LOOK_EVERY_MS, look, (error) => ctx.logger.warn({ err: error }, 'could not look for pushed changes'));
}
