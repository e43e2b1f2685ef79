import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A fresh, empty database for one test file, on the engine this vitest project runs against:
 * PGlite in memory, or a new database on the PostgreSQL server (dropped afterwards).
 */
export type Engine = 'pglite' | 'postgres';

export const engine: Engine = process.env.PULSE_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

export interface TestDatabase {
  /** Set on the server engine; undefined means embedded PGlite. */
  url?: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(on: Engine = engine): Promise<TestDatabase> {
  if (on === 'pglite') return { drop: async () => {} };
  const adminUrl = process.env.PULSE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `pulse_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
