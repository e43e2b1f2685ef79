import { asSystem } from '../db/tenant.js';
import type { AppContext } from '../server/context.js';
import type { SyncQueue } from './queue.js';
import { reconcileStaleRuns } from './reconcile.js';
import { requestSync } from './request-sync.js';

/**
 * Every enabled, connected integration syncs every `settings.sync_interval_minutes` (default 15),
 * counted from its last run's start. Every worker process ticks; the one-running-run index makes
 * a second process's request join instead of starting a duplicate.
 */
export const DEFAULT_INTERVAL_MINUTES = 15;

export async function dueIntegrations(ctx: AppContext): Promise<{ id: string; user_id: string }[]> {
  return asSystem(ctx.db.pool, async (tx) => (await tx.query<{ id: string; user_id: string }>(
    `SELECT i.id, i.user_id FROM crm_integrations i
     WHERE i.sync_enabled AND i.is_active AND i.status = 'connected'
       AND NOT EXISTS (
         SELECT 1 FROM crm_sync_logs l WHERE l.integration_id = i.id AND (l.status = 'running'
           OR l.started_at > now() - make_interval(mins => coalesce((i.settings->>'sync_interval_minutes')::int, $1))))`,
    [DEFAULT_INTERVAL_MINUTES],
  )).rows);
}

export function startScheduler(ctx: AppContext, queue: SyncQueue, everyMs = ctx.config.PULSE_SCHEDULER_INTERVAL_MS): () => void {
  const tick = async () => {
    await reconcileStaleRuns(ctx, queue, ctx.config.PULSE_HEARTBEAT_TIMEOUT_MS);
    // OAuth states are single-use and live 10 minutes; keep a day of them for "already used" answers.
    await asSystem(ctx.db.pool, (tx) => tx.query(`DELETE FROM oauth_states WHERE expires_at < now() - interval '1 day'`));
    for (const integration of await dueIntegrations(ctx)) {
      await requestSync(ctx, queue, { userId: integration.user_id, integrationId: integration.id })
        .catch((error) => ctx.logger.warn({ err: error, integrationId: integration.id }, 'scheduled sync not started'));
    }
  };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    tick().catch((error) => ctx.logger.error({ err: error }, 'scheduler tick failed')).finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
