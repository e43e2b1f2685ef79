import { asSystem } from '../../src/db/tenant.js';
import type { SyncLog } from '../../src/db/sync-logs-repository.js';
import { syncLogsRepository } from '../../src/db/sync-logs-repository.js';
import type { AppContext } from '../../src/app-context.js';
import { waitFor } from './process.js';

/** Waits until the run's log leaves "running", and returns it. */
export async function waitForRun(ctx: AppContext, logId: string, timeoutMs = 60_000): Promise<SyncLog> {
  return waitFor(async () => {
    const log = await asSystem(ctx.db.pool, (tx) => syncLogsRepository(tx).find(logId));
    return log && log.status !== 'running' ? log : undefined;
  }, `sync run ${logId} to finish`, timeoutMs);
}

export async function syncAndWait(ctx: AppContext, userId: string, integrationId: string, full = false): Promise<SyncLog> {
  const { logId } = await ctx.sync!.request({ userId, integrationId, full });
  return waitForRun(ctx, logId);
}

export async function liveCount(ctx: AppContext, table: string, integrationId: string): Promise<number> {
  return asSystem(ctx.db.pool, async (tx) => (await tx.query(`SELECT count(*)::int AS n FROM ${table} WHERE integration_id = $1 AND deleted_at IS NULL`, [integrationId])).rows[0].n);
}
