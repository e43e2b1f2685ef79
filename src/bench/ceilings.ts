import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { objectTypes } from '../crm/platforms.js';
import type { LimitSettings } from '../sandbox/core/store.js';
import { recordTables } from '../sync/record-tables.js';
import type { BenchPulse } from './context.js';
import { copyIn, copyOut } from './copy.js';
import type { BenchProfile } from './profile.js';
import type { SandboxChild } from './sandbox-child.js';

/**
 * What the hardware and the provider allow, measured in the same run so a slow machine moves the
 * ceiling and the figure together:
 * - fetch: the same list pages (same fields and links) with plain fetch + parse, each object's
 *   cursor chain in parallel, as the engine does (a cursor chain cannot be split): the CRM's profile;
 * - write: the very rows the sync wrote, loaded with COPY into same-shaped tables (same columns,
 *   keys and indexes), the objects in parallel on their own connections;
 * - rate-limit floor: computed, the time the tier's published limits force for the requests made.
 */
export async function fetchCeilingMs(sandbox: SandboxChild, profile: BenchProfile): Promise<{ ms: number; requests: number; records: number; checkMs: number }> {
  const { access_token: token } = await sandbox.admin<{ access_token: string }>('POST', '/_sandbox/tokens', {});
  const started = performance.now();
  const { requests, records, checkMs } = await profile.fetchCeiling(sandbox.url, token);
  return { ms: performance.now() - started - checkMs, requests, records, checkMs };
}

export async function copyCeilingMs(pulse: BenchPulse): Promise<{ ms: number; rows: number; method: 'copy' | 'insert-select' }> {
  if (pulse.ctx.db.kind === 'pglite') return inDatabaseCopyMs(pulse);
  const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-copy-'));
  const pool = pulse.ctx.db.pool;
  if (!/^[0-9a-f-]{36}$/.test(pulse.integrationId)) throw new Error('unexpected integration id');
  try {
    let rows = 0;
    const tables = objectTypes.map((object) => recordTables[object].table);
    for (const table of tables) {
      const client = await pool.connect();
      try {
        await client.query(`DROP TABLE IF EXISTS bench_copy_${table}`);
        await client.query(`CREATE TABLE bench_copy_${table} (LIKE ${table} INCLUDING ALL)`);
        // Our tables force row-level security: read them as the system role, whoever owns them.
        await client.query('SET ROLE pulse_system');
        await copyOut(client, `SELECT * FROM ${table} WHERE integration_id = '${pulse.integrationId}' AND deleted_at IS NULL`, join(dir, table));
        rows += (await client.query(`SELECT count(*)::int AS n FROM ${table} WHERE integration_id = $1 AND deleted_at IS NULL`, [pulse.integrationId])).rows[0].n;
      } finally {
        await client.query('RESET ROLE').catch(() => {});
        client.release();
      }
    }
    const started = performance.now();
    await Promise.all(tables.map(async (table) => {
      const client = await pool.connect();
      try { await copyIn(client, `bench_copy_${table}`, join(dir, table)); } finally { client.release(); }
    }));
    const ms = performance.now() - started;
    for (const table of tables) await pool.query(`DROP TABLE bench_copy_${table}`);
    return { ms, rows, method: 'copy' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * PGlite's socket loses protocol sync on COPY FROM STDIN, so there the same rows go in with one
 * INSERT … SELECT per table: no client round-trips or parsing at all, a ceiling at least as high.
 */
async function inDatabaseCopyMs(pulse: BenchPulse): Promise<{ ms: number; rows: number; method: 'insert-select' }> {
  const pool = pulse.ctx.db.pool;
  let rows = 0;
  let ms = 0;
  for (const object of objectTypes) {
    const table = recordTables[object].table;
    await pool.query(`DROP TABLE IF EXISTS bench_copy_${table}`);
    await pool.query(`CREATE TABLE bench_copy_${table} (LIKE ${table} INCLUDING ALL)`);
    const started = performance.now();
    const { rowCount } = await pool.query(`INSERT INTO bench_copy_${table} SELECT * FROM ${table} WHERE integration_id = $1 AND deleted_at IS NULL`, [pulse.integrationId]);
    ms += performance.now() - started;
    rows += rowCount ?? 0;
    await pool.query(`DROP TABLE bench_copy_${table}`);
  }
  return { ms, rows, method: 'insert-select' };
}

/**
 * The time a tier's published limits force for these requests: the burst window's rate for all of
 * them, the search rate for the searches; null when the tier has neither (a daily allocation is
 * reported as spent, not as time).
 */
export function rateLimitFloorMs(settings: LimitSettings, requestsByKind: Record<string, number>): number | null {
  const total = Object.values(requestsByKind).reduce((a, b) => a + b, 0);
  const search = requestsByKind.search ?? 0;
  const window = settings.windowMax ? (total * settings.windowMs) / settings.windowMax : 0;
  const searches = settings.searchPerSecond ? (search * 1000) / settings.searchPerSecond : 0;
  const floor = Math.max(window, searches);
  return floor > 0 ? floor : null;
}
