import type { FieldOption } from '../crm/connector.js';
import type { Tx } from '../db/tenant.js';

/** crm_field_options: the CRM's labels for coded values, per integration (replaced as a whole). */
export function fieldOptionsRepository(tx: Tx) {
  return {
    async has(integrationId: string): Promise<boolean> {
      const { rows } = await tx.query('SELECT 1 FROM crm_field_options WHERE integration_id = $1 LIMIT 1', [integrationId]);
      return rows.length > 0;
    },

    async replace(integrationId: string, options: FieldOption[]): Promise<void> {
      await tx.query('DELETE FROM crm_field_options WHERE integration_id = $1', [integrationId]);
      if (options.length === 0) return;
      await tx.query(
        `INSERT INTO crm_field_options (integration_id, object, field, value, label, display_order)
         SELECT $1, o.object, o.field, o.value, o.label, o."displayOrder"
         FROM jsonb_to_recordset($2::jsonb) AS o(object text, field text, value text, label text, "displayOrder" integer)
         ON CONFLICT DO NOTHING`,
        [integrationId, JSON.stringify(options)],
      );
    },

    async list(integrationId: string | null): Promise<(FieldOption & { integrationId: string })[]> {
      const { rows } = await tx.query(
        `SELECT integration_id, object, field, value, label, display_order FROM crm_field_options
         WHERE $1::uuid IS NULL OR integration_id = $1 ORDER BY integration_id, object, field, display_order, value`,
        [integrationId],
      );
      return rows.map((row) => ({ integrationId: row.integration_id, object: row.object, field: row.field, value: row.value, label: row.label, displayOrder: row.display_order }));
    },
  };
}
