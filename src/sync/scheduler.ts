import { integrationsRepository } from '../db/integrations-repository.js';
import { oauthStatesRepository } from '../db/oauth-states-repository.js';
import { asSystem } from '../db/tenant.js';
import type { AppContext } from '../app-context.js';
import { every } from '../lib/every.js';
import type { SyncQueue } from './queue.js';
import { reconcileStaleRuns } from './reconcile.js';
import { requestSync } from './request-sync.js';

/**
 * Every enabled, connected integration syncs every `settings.sync_interval_minutes` (default 15),
 * counted from its last run's start. Every worker process ticks; the one-running-run index makes
 * a second process's request join instead of starting a duplicate.
 */
export const DEFAULT_INTERVAL_MINUTES = 15;

export function dueIntegrations(ctx: AppContext): Promise<{ id: string; userId: string }[]> {
  return asSystem(ctx.db.pool, (tx) => integrationsRepository(tx, ctx.keys).dueForSync(DEFAULT_INTERVAL_MINUTES, ctx.config.PULSE_REALTIME_POLL_MINUTES));
}

export function startScheduler(ctx: AppContext, queue: SyncQueue, everyMs = ctx.config.PULSE_SCHEDULER_INTERVAL_MS): () => void {
  const tick = async () => {
    await reconcileStaleRuns(ctx, queue, ctx.config.PULSE_HEARTBEAT_TIMEOUT_MS);
    await asSystem(ctx.db.pool, (tx) => oauthStatesRepository(tx).deleteStale());
    for (const integration of await dueIntegrations(ctx)) {
      await requestSync(ctx, queue, { userId: integration.userId, integrationId: integration.id })
        .catch((error) => ctx.logger.warn({ err: error, integrationId: integration.id }, 'scheduled sync not started'));
    }
  };
  return every(everyMs, tick, (error) => ctx.logger.error({ err: error }, 'scheduler tick failed'));
}
