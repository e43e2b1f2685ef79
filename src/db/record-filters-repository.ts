import type { RecordFilter } from '../crm/connector.js';
import { objectTypes, type ObjectType } from '../crm/platforms.js';
import { recordTables } from '../sync/record-tables.js';
import { recordRows } from './record-rows.js';
import type { Tx } from './tenant.js';

export type RecordFilters = Partial<Record<ObjectType, RecordFilter>>;

/**
 * crm_record_filters (025): an integration's selective-sync filter per object, as the caller (RLS).
 * Also the local side of a filter preview: the integration's live records, a batch at a time, for
 * the filter to be evaluated on their raw properties (record-filter.ts decides, not SQL).
 */
export function recordFiltersRepository(tx: Tx) {
  return {
    /** The filters that select something (a removed filter is kept as one without conditions: see put). */
    async get(integrationId: string): Promise<RecordFilters> {
      const { rows } = await tx.query<{ object: ObjectType; filter: RecordFilter }>(
        `SELECT object, filter FROM crm_record_filters WHERE integration_id = $1 AND jsonb_array_length(filter->'conditions') > 0`, [integrationId],
      );
      return Object.fromEntries(rows.map((row) => [row.object, row.filter]));
    },

    /**
     * Sets the filters given (null removes one); returns the objects whose filter changed. A removed
     * filter stays as a row without conditions, so that its change has a time (relistDue).
     */
    async put(integrationId: string, filters: Partial<Record<ObjectType, RecordFilter | null>>): Promise<ObjectType[]> {
      const before = await this.get(integrationId);
      const changed = objectTypes.filter((object) => object in filters && JSON.stringify(before[object] ?? null) !== JSON.stringify(filters[object] ?? null));
      for (const object of changed) {
        await tx.query(
          `INSERT INTO crm_record_filters (integration_id, object, filter) VALUES ($1, $2, $3::jsonb)
           ON CONFLICT (integration_id, object) DO UPDATE SET filter = EXCLUDED.filter, updated_at = now()`,
          [integrationId, object, JSON.stringify(filters[object] ?? { match: 'all', conditions: [] })],
        );
      }
      return changed;
    },

    /**
     * Objects whose filter changed after their last full listing began: the listing that removes what
     * the filter no longer selects is still due. Saving a filter asks for it at once, but a run already
     * going when it was saved may have ended that object's listing another way.
     */
    async relistDue(integrationId: string): Promise<ObjectType[]> {
      const { rows } = await tx.query<{ object: ObjectType }>(
        `SELECT f.object FROM crm_record_filters f
         JOIN crm_sync_state s ON s.integration_id = f.integration_id AND s.object = f.object
         JOIN crm_sync_logs l ON l.id = s.full_run
         WHERE f.integration_id = $1 AND s.phase = 'incremental' AND f.updated_at > l.started_at`,
        [integrationId],
      );
      return rows.map((row) => row.object);
    },

    /** Live records after a row id, in id order, with every column the data API returns (for samples). */
    async liveBatch(object: ObjectType, integrationId: string, afterId: string | null, limit: number): Promise<Record<string, unknown>[]> {
      const { rows } = await tx.query(
        `SELECT ${recordRows(object).columns.join(', ')} FROM ${recordTables[object].table}
         WHERE integration_id = $1 AND deleted_at IS NULL AND ($2::uuid IS NULL OR id > $2::uuid) ORDER BY id LIMIT $3`,
        [integrationId, afterId, limit],
      );
      return rows;
    },
  };
}
