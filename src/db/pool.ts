import pg from 'pg';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.js';

/**
 * The one way into the database: a `pg` pool, to the server at DATABASE_URL or to embedded PGlite.
 * Everything above this module sees the same pool whichever it is.
 */
export interface Database {
  pool: pg.Pool;
  kind: 'postgres' | 'pglite';
  /** Connection options for libraries that open their own connections (pg-boss, LISTEN). */
  connection: pg.PoolConfig;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  /** Directory for embedded data; null keeps it in memory (tests). */
  dataDir: string | null;
  poolSize: number;
}

// Bigint columns come back as JS numbers: our counts fit comfortably below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
// Deal amounts: doubles hold every realistic currency amount exactly enough for display and sums.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  let embedded: EmbeddedDatabase | undefined;
  let connection: pg.PoolConfig;
  if (options.databaseUrl) {
    connection = { connectionString: options.databaseUrl };
  } else {
    // The product's pool uses one connection (below); the rest are for tools and tests that open their own.
    embedded = await startEmbeddedDatabase(options.dataDir, options.poolSize + 10);
    connection = embedded.connection;
  }
  // PGlite is one session behind the socket: statements of two connections outside a transaction can
  // interleave mid-protocol (one connection's Bind meets the other's Parse). One connection avoids
  // that and costs nothing, since PGlite runs one statement at a time anyway.
  const max = embedded ? 1 : options.poolSize;
  const pool = new pg.Pool({ ...connection, max, application_name: 'pulse-crm' });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  return {
    pool,
    kind: embedded ? 'pglite' : 'postgres',
    connection,
    async close() {
      await pool.end();
      await embedded?.close();
    },
  };
}
