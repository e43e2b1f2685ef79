import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { transaction } from './tenant.js';

/**
 * Plain, numbered SQL files applied in order, each recorded with a checksum. Released files are
 * never edited: a changed checksum stops the start with a message instead of drifting silently.
 * The whole run holds a transaction-level advisory lock, so two processes starting together apply
 * each migration once (the second waits, then finds nothing to do).
 */
const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));
const LOCK_KEY = 0x50_554c_5345; // "PULSE"

export interface Migration {
  id: number;
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(): Migration[] {
  return readdirSync(migrationsDir)
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = readFileSync(migrationsDir + file, 'utf8');
      return { id: Number(file.slice(0, 3)), name: file, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export async function migrate(pool: pg.Pool): Promise<string[]> {
  return transaction(pool, (client) => client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]).then(() => {}), async (client) => {
    await client.query(`CREATE TABLE IF NOT EXISTS pulse_migrations (
      id integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ id: number; name: string; checksum: string }>('SELECT id, name, checksum FROM pulse_migrations');
    const applied = new Map(rows.map((row) => [row.id, row]));
    const done: string[] = [];
    for (const migration of readMigrations()) {
      const previous = applied.get(migration.id);
      if (previous) {
        if (previous.checksum !== migration.checksum) {
          throw new MigrationError(`Migration ${migration.name} was changed after it was applied. Released migrations are never edited: revert it and add a new numbered file.`);
        }
        continue;
      }
      await client.query(migration.sql);
      await client.query('INSERT INTO pulse_migrations (id, name, checksum) VALUES ($1, $2, $3)', [migration.id, migration.name, migration.checksum]);
      done.push(migration.name);
    }
    return done;
  });
}

/** Names of known migrations not yet applied; empty means the schema is current. */
export async function pendingMigrations(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ id: number }>(
    `SELECT id FROM pulse_migrations WHERE to_regclass('pulse_migrations') IS NOT NULL`,
  ).catch(() => ({ rows: [] as { id: number }[] }));
  const applied = new Set(rows.map((row) => row.id));
  return readMigrations().filter((m) => !applied.has(m.id)).map((m) => m.name);
}
