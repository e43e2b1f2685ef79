import type { CrmField } from '../crm/connector.js';
import type { ObjectType } from '../crm/platforms.js';
import type { Tx } from '../db/tenant.js';

/** crm_field_metadata: each object's fields as the CRM describes them, per integration (replaced per object as a whole). */
export function fieldMetadataRepository(tx: Tx) {
  return {
    async replace(integrationId: string, object: ObjectType, fields: CrmField[]): Promise<void> {
      await tx.query('DELETE FROM crm_field_metadata WHERE integration_id = $1 AND object = $2', [integrationId, object]);
      if (fields.length === 0) return;
      await tx.query(
        `INSERT INTO crm_field_metadata (integration_id, object, name, label, type, options, read_only, required, custom, position)
         SELECT $1, $2, f.name, f.label, f.type, f.options, f."readOnly", f.required, f.custom, f.position - 1
         FROM ROWS FROM (jsonb_to_recordset($3::jsonb) AS (name text, label text, type text, options jsonb, "readOnly" boolean, required boolean, custom boolean))
           WITH ORDINALITY AS f(name, label, type, options, "readOnly", required, custom, position)
         ON CONFLICT DO NOTHING`,
        [integrationId, object, JSON.stringify(fields)],
      );
    },

    async list(integrationId: string, object: ObjectType): Promise<{ fields: CrmField[]; fetchedAt: string | null }> {
      const { rows } = await tx.query(
        `SELECT name, label, type, options, read_only, required, custom, fetched_at FROM crm_field_metadata
         WHERE integration_id = $1 AND object = $2 ORDER BY position`,
        [integrationId, object],
      );
      return {
        fields: rows.map((row) => ({
          name: row.name, label: row.label, type: row.type, ...(row.options ? { options: row.options } : {}),
          readOnly: row.read_only, required: row.required, custom: row.custom,
        })),
        fetchedAt: rows.length ? (rows[0].fetched_at as Date).toISOString() : null,
      };
    },
  };
}
