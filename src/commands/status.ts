import { loadConfig } from '../config.js';
import { integrationsRepository } from '../db/integrations-repository.js';
import { asSystem } from '../db/tenant.js';
import { createLogger } from '../logger.js';
import { createContext } from '../runtime.js';

/**
 * "CRM unreachable, retrying at 14:05 UTC": an operator's terminal and the server seldom share a
 * time zone, so the CLI says UTC (the date too when the retry is not today).
 */
export function retryNote(retryAt: string, now = new Date()): string {
  const iso = new Date(retryAt).toISOString();
  const time = `${iso.slice(11, 16)} UTC`;
  return `CRM unreachable, retrying at ${iso.slice(0, 10) === now.toISOString().slice(0, 10) ? time : `${iso.slice(0, 10)} ${time}`}`;
}

/** `pulse-crm status`: every integration with its state and last sync, as a table. */
export async function statusCommand(): Promise<void> {
  const config = loadConfig();
  const ctx = await createContext({ config, logger: createLogger('warn') });
  try {
    // Every user's integrations: the operator's view, so the system role.
    const rows = await asSystem(ctx.db.pool, (tx) => integrationsRepository(tx, ctx.keys).overview());
    if (rows.length === 0) {
      console.log('No integrations yet. Connect a CRM from the web UI (npm start, then open the Settings page).');
      return;
    }
    console.table(rows.map((row) => ({
      id: row.id,
      platform: row.platform,
      account: row.name,
      status: row.syncEnabled ? `${row.status}${row.retryAt ? ` — ${retryNote(row.retryAt)}` : ''}` : `${row.status} (sync off)`,
      'last sync': row.lastSync ? `${row.lastSync.status} ${row.lastSync.syncType}, ${row.lastSync.recordsSynced} records, ${row.lastSync.startedAt}${row.lastSync.durationMs !== null ? `, ${(row.lastSync.durationMs / 1000).toFixed(1)} s` : ''}` : 'never',
    })));
  } finally {
    await ctx.close();
  }
}
