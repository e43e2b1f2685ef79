import type { ObjectType } from '../crm/platforms.js';
import type { Tx } from '../db/tenant.js';
import type { FieldMapping, FieldPath } from './custom-fields.js';
import { recordTables } from './record-tables.js';

/** crm_field_mappings, and the set-based work on the records a change of mappings implies. */
export function fieldMappingsRepository(tx: Tx, integrationId: string) {
  return {
    async list(object?: ObjectType): Promise<(FieldMapping & { object: ObjectType })[]> {
      const { rows } = await tx.query(
        `SELECT object, pulse_field, crm_field, pulse_type, direction, options FROM crm_field_mappings
         WHERE integration_id = $1 AND ($2::text IS NULL OR object = $2) ORDER BY object, position`,
        [integrationId, object ?? null],
      );
      return rows.map((row) => ({ object: row.object, pulseField: row.pulse_field, crmField: row.crm_field, pulseType: row.pulse_type, direction: row.direction, options: row.options }));
    },

    /** Replaces one object's custom mappings as a whole. */
    async replace(object: ObjectType, mappings: FieldMapping[]): Promise<void> {
      await tx.query('DELETE FROM crm_field_mappings WHERE integration_id = $1 AND object = $2', [integrationId, object]);
      if (mappings.length === 0) return;
      await tx.query(
        `INSERT INTO crm_field_mappings (integration_id, object, pulse_field, crm_field, pulse_type, direction, options, position)
         SELECT $1, $2, m."pulseField", m."crmField", m."pulseType", m.direction, m.options, m.position - 1
         FROM ROWS FROM (jsonb_to_recordset($3::jsonb) AS ("pulseField" text, "crmField" text, "pulseType" text, direction text, options jsonb))
           WITH ORDINALITY AS m("pulseField", "crmField", "pulseType", direction, options, position)`,
        [integrationId, object, JSON.stringify(mappings)],
      );
    },

    /**
     * The CRM fields of `mappings` that no stored record holds (the listing never asked for them):
     * only a new listing can fill those. A field a record holds with no value counts as held.
     */
    async neverFetched(object: ObjectType, mappings: FieldMapping[], path: FieldPath): Promise<string[]> {
      if (mappings.length === 0) return [];
      const { table } = recordTables[object];
      const { rows } = await tx.query<{ crm_field: string }>(
        `SELECT m.crm_field FROM jsonb_to_recordset($2::jsonb) AS m(crm_field text, path text[])
         WHERE EXISTS (SELECT 1 FROM ${table} WHERE integration_id = $1 AND deleted_at IS NULL)
           AND NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.integration_id = $1 AND t.deleted_at IS NULL AND t.properties #> m.path IS NOT NULL)`,
        [integrationId, JSON.stringify(mappings.map((m) => ({ crm_field: m.crmField, path: path(m.crmField) })))],
      );
      return rows.map((row) => row.crm_field);
    },

    /**
     * Re-derives every record's custom_fields from its stored properties with the given mappings, in
     * one statement, without the CRM (pulse_mapped_value reads as the sync does). Rows whose values
     * change move their updated_at, so a consumer polling the data API sees them. Returns how many.
     */
    async rederive(object: ObjectType, mappings: FieldMapping[], path: FieldPath): Promise<number> {
      const { table } = recordTables[object];
      const { rowCount } = await tx.query(
        `WITH derived AS (
           SELECT t.id, (SELECT coalesce(jsonb_object_agg(m.pulse_field, pulse_mapped_value(t.properties #> m.path, m.pulse_type, m.options)), '{}'::jsonb)
                         FROM jsonb_to_recordset($2::jsonb) AS m(pulse_field text, path text[], pulse_type text, options jsonb)) AS custom_fields
           FROM ${table} t WHERE t.integration_id = $1
         )
         UPDATE ${table} AS t SET custom_fields = d.custom_fields, updated_at = now(), content_changed_at = now()
         FROM derived d WHERE t.id = d.id AND t.custom_fields IS DISTINCT FROM d.custom_fields`,
        [integrationId, JSON.stringify(mappings.map((m) => ({ pulse_field: m.pulseField, path: path(m.crmField), pulse_type: m.pulseType, options: m.options ?? null })))],
      );
      return rowCount ?? 0;
    },

    /** The object's live records, a few (for a preview), and how many there are. */
    async sample(object: ObjectType, limit: number): Promise<{ total: number; records: { remoteId: string; properties: Record<string, unknown> }[] }> {
      const { table } = recordTables[object];
      const { rows } = await tx.query(
        `SELECT remote_id, properties, count(*) OVER ()::int AS total FROM ${table}
         WHERE integration_id = $1 AND deleted_at IS NULL ORDER BY remote_updated_at DESC NULLS LAST, remote_id LIMIT $2`,
        [integrationId, limit],
      );
      if (rows.length > 0) return { total: rows[0].total, records: rows.map((row) => ({ remoteId: row.remote_id, properties: row.properties })) };
      return { total: 0, records: [] };
    },
  };
}
