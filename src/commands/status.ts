import { loadConfig } from '../config.js';
import { asSystem } from '../db/tenant.js';
import { createLogger } from '../logger.js';
import { createContext } from '../runtime.js';

/** `pulse-crm status`: every integration with its state and last sync, as a table. */
export async function statusCommand(): Promise<void> {
  const config = loadConfig();
  const ctx = await createContext({ config, logger: createLogger('warn') });
  try {
    const rows = await asSystem(ctx.db.pool, async (tx) => (await tx.query(
      `SELECT i.id, i.platform, coalesce(i.display_name, '') AS name, i.status, i.sync_enabled,
              l.status AS last_status, l.sync_type, l.records_synced, l.started_at, l.duration_ms
       FROM crm_integrations i
       LEFT JOIN LATERAL (SELECT * FROM crm_sync_logs WHERE integration_id = i.id ORDER BY started_at DESC LIMIT 1) l ON true
       ORDER BY i.created_at`,
    )).rows);
    if (rows.length === 0) {
      console.log('No integrations yet. Connect a CRM from the web UI (npm start, then open the Settings page).');
      return;
    }
    console.table(rows.map((row) => ({
      id: row.id,
      platform: row.platform,
      account: row.name,
      status: row.sync_enabled ? row.status : `${row.status} (sync off)`,
      'last sync': row.started_at ? `${row.last_status} ${row.sync_type}, ${row.records_synced} records, ${row.started_at.toISOString()}${row.duration_ms !== null ? `, ${(row.duration_ms / 1000).toFixed(1)} s` : ''}` : 'never',
    })));
  } finally {
    await ctx.close();
  }
}
