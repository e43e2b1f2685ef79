import { objectTypes } from '../crm/platforms.js';
import type { Tx } from '../db/tenant.js';
import { OVERLAP_MS } from './object-sync.js';
import { recordTables } from './record-tables.js';

/**
 * Real-time updates of an integration, from the changes its CRM pushes (webhooks, applied within
 * seconds by webhook runs; state in integrations-repository.ts): `off` until the first push arrives;
 * `on` while pushes arrive and the scheduled listings find nothing they did not announce, the listing
 * then being only the safety net (every PULSE_REALTIME_POLL_MINUTES); `degraded` from a listing that
 * found such a change until the next push, listing at the integration's own interval meanwhile.
 * Nothing is lost either way: the listing guarantees completeness, pushes only bring changes sooner.
 */

/**
 * After a listing run that started at `runStartedAt`: whether it had to change records for which no
 * push arrived since the previous listing (`previousListingAt`, with the overlap it re-read). The
 * upsert touches `updated_at` only when something differs, so records a push already brought are not
 * counted, and a change whose push is still gathering has its event stored already. A push slower
 * than the listing makes this a false alarm, which that push clears.
 */
export async function listingFoundUnpushedChanges(tx: Tx, integrationId: string, runStartedAt: string, previousListingAt: string | null): Promise<boolean> {
  const pushedSince = previousListingAt ? new Date(Date.parse(previousListingAt) - OVERLAP_MS).toISOString() : '-infinity';
  const unpushed = objectTypes.map((object) => `EXISTS (SELECT 1 FROM ${recordTables[object].table} r
    WHERE r.integration_id = $1 AND r.updated_at >= $2 AND NOT EXISTS (
      SELECT 1 FROM crm_webhook_events e WHERE e.integration_id = $1 AND e.object = '${object}' AND e.remote_id = r.remote_id AND e.received_at >= $3))`);
  const { rows } = await tx.query<{ found: boolean }>(`SELECT ${unpushed.join(' OR ')} AS found`, [integrationId, runStartedAt, pushedSince]);
  return rows[0]!.found;
}
