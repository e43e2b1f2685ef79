import { setTimeout as delay } from 'node:timers/promises';
import { integrationsRepository } from '../db/integrations-repository.js';
import { withUser } from '../db/tenant.js';
import { AppError, notFound } from '../lib/errors.js';
import type { AppContext } from '../app-context.js';
import type { SyncQueue } from './queue.js';
import { syncStateRepository } from './sync-state-repository.js';
import { syncLogsRepository } from '../db/sync-logs-repository.js';
import { objectTypes } from '../crm/platforms.js';

/**
 * Asks for a sync run. There is at most one running run per integration (a unique index on running
 * logs says so, across every process): asking while one runs joins it instead of starting another.
 */
export interface SyncRequest {
  userId: string;
  integrationId: string;
  full?: boolean;
  /** A run for changes the CRM pushed (webhook-runs.ts): applies them without listing. */
  pushed?: boolean;
  /** A person asked ("Sync now", `pulse-crm sync`): everything the CRM has is read, archive sweeps included. */
  byPerson?: boolean;
}

export async function requestSync(ctx: AppContext, queue: SyncQueue, request: SyncRequest): Promise<{ logId: string; joined: boolean }> {
  const created = await createRun(ctx, request);
  if (!created.joined) {
    // Objects still in their first listing list in full anyway; only an explicit request re-lists the rest.
    await queue.enqueue({ logId: created.logId, integrationId: request.integrationId, userId: request.userId, full: request.full === true, byPerson: request.byPerson === true })
      .catch(async (error) => {
        await withUser(ctx.db.pool, request.userId, (tx) => syncLogsRepository(tx).fail(created.logId, 'The sync could not be queued; try again.'));
        throw error;
      });
  }
  return { logId: created.logId, joined: created.joined };
}

/** How long a request waits between asks while a sealed pushed-changes run ends (sync-logs-repository.ts). */
const SEALED_RUN_ENDING_MS = 20;

/** Opens the run's log (status running), or finds the run already going; does not start it. */
export async function createRun(ctx: AppContext, request: SyncRequest): Promise<{ logId: string; full: boolean; joined: boolean }> {
  for (;;) {
    const created = await withUser(ctx.db.pool, request.userId, async (tx) => {
      const integration = await integrationsRepository(tx, ctx.keys).find(request.integrationId);
      if (!integration) throw notFound('Integration');
      if (integration.status === 'needs_reauth') {
        throw new AppError('conflict', 'This integration needs to be reconnected before it can sync: use Reconnect to sign in to the CRM again.');
      }
      const incremental = await syncStateRepository(tx, request.integrationId).incrementalObjects();
      const full = request.full === true || incremental.length < objectTypes.length;
      // Pushed changes are read by id into data already listed once; before that, the listing covers them.
      const type = full ? 'full' : request.pushed ? 'webhook' : 'incremental';
      const run = await syncLogsRepository(tx).openOrJoin(request.integrationId, type);
      return run && { logId: run.id, full, joined: run.joined };
    });
    if (created) return created;
    await delay(SEALED_RUN_ENDING_MS);
  }
}
