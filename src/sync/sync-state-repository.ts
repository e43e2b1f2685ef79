import type { ListCursor } from '../crm/connector.js';
import type { ObjectType } from '../crm/platforms.js';
import type { Tx } from '../db/tenant.js';

/**
 * Where one object's sync stands. Every change here is written in the same transaction as the data
 * it describes, so a crash at any point resumes from the last committed page.
 */
export interface Listing {
  listing: ListCursor;
  /** When this listing began: the next incremental reads changes from here (minus the overlap). */
  startedAt: string;
}

export interface DeletionListing {
  position: unknown | null;
  startedAt: string;
}

export interface SyncState {
  phase: 'full' | 'incremental';
  cursor: Listing | null;
  fullRun: string | null;
  highWater: string | null;
  deletionsCheckedAt: string | null;
  deletionsCursor: DeletionListing | null;
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

export function syncStateRepository(tx: Tx, integrationId: string) {
  return {
    async get(object: ObjectType): Promise<SyncState | null> {
      const { rows } = await tx.query(
        'SELECT phase, cursor, full_run, high_water, deletions_checked_at, deletions_cursor FROM crm_sync_state WHERE integration_id = $1 AND object = $2',
        [integrationId, object],
      );
      const row = rows[0];
      return row ? {
        phase: row.phase, cursor: row.cursor, fullRun: row.full_run, highWater: iso(row.high_water),
        deletionsCheckedAt: iso(row.deletions_checked_at), deletionsCursor: row.deletions_cursor,
      } : null;
    },

    /** Objects whose initial full listing has completed. */
    async incrementalObjects(): Promise<ObjectType[]> {
      const { rows } = await tx.query(`SELECT object FROM crm_sync_state WHERE integration_id = $1 AND phase = 'incremental'`, [integrationId]);
      return rows.map((row) => row.object);
    },

    /**
     * Has the next run list the object in full from the start (what the integration selects of it, or
     * reads of it, changed), keeping what it knows of deletions. Nothing to do before a first listing.
     */
    async restartFull(object: ObjectType): Promise<void> {
      await tx.query(
        `UPDATE crm_sync_state SET phase = 'full', cursor = NULL, full_run = NULL, updated_at = now() WHERE integration_id = $1 AND object = $2`,
        [integrationId, object],
      );
    },

    async save(object: ObjectType, state: SyncState): Promise<void> {
      await tx.query(
        `INSERT INTO crm_sync_state (integration_id, object, phase, cursor, full_run, high_water, deletions_checked_at, deletions_cursor, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
         ON CONFLICT (integration_id, object) DO UPDATE SET phase = EXCLUDED.phase, cursor = EXCLUDED.cursor, full_run = EXCLUDED.full_run,
           high_water = EXCLUDED.high_water, deletions_checked_at = EXCLUDED.deletions_checked_at,
           deletions_cursor = EXCLUDED.deletions_cursor, updated_at = now()`,
        [integrationId, object, state.phase, state.cursor ? JSON.stringify(state.cursor) : null, state.fullRun, state.highWater,
          state.deletionsCheckedAt, state.deletionsCursor ? JSON.stringify(state.deletionsCursor) : null],
      );
    },
  };
}
