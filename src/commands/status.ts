import { loadConfig } from '../config.js';
import { platforms } from '../crm/platforms.js';
import { integrationsRepository, type IntegrationOverview } from '../db/integrations-repository.js';
import { asSystem } from '../db/tenant.js';
import { createLogger } from '../logger.js';
import { createContext } from '../runtime.js';

/**
 * "CRM unreachable, retrying at 14:05 UTC": an operator's terminal and the server seldom share a
 * time zone, so the CLI says UTC (the date too when the retry is not today).
 */
export function retryNote(retryAt: string, now = new Date()): string {
  return `CRM unreachable, retrying at ${utcTime(retryAt, now)}`;
}

/** "syncing, waiting for HubSpot's rate limit since 14:05 UTC": slow, not stuck, so nobody restarts it. */
export function rateLimitNote(crm: string, since: string, now = new Date()): string {
  return `syncing, waiting for ${crm}'s rate limit since ${utcTime(since, now)} (the sync continues by itself)`;
}

function utcTime(at: string, now: Date): string {
  const iso = new Date(at).toISOString();
  const time = `${iso.slice(11, 16)} UTC`;
  return iso.slice(0, 10) === now.toISOString().slice(0, 10) ? time : `${iso.slice(0, 10)} ${time}`;
}

function stateNote(row: IntegrationOverview): string {
  if (row.rateLimitedSince) return ` — ${rateLimitNote(platforms[row.platform].name, row.rateLimitedSince)}`;
  return row.retryAt ? ` — ${retryNote(row.retryAt)}` : '';
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
      status: row.syncEnabled ? `${row.status}${stateNote(row)}` : `${row.status} (sync off)`,
      'last sync': row.lastSync ? `${row.lastSync.status} ${row.lastSync.syncType}, ${row.lastSync.recordsSynced} records, ${row.lastSync.startedAt}${row.lastSync.durationMs !== null ? `, ${(row.lastSync.durationMs / 1000).toFixed(1)} s` : ''}` : 'never',
    })));
  } finally {
    await ctx.close();
  }
}
