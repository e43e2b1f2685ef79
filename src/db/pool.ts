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

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  let embedded: EmbeddedDatabase | undefined;
  let connection: pg.PoolConfig;
  if (options.databaseUrl) {
    connection = { connectionString: options.databaseUrl };
  } else {
    // Headroom beyond the pool for the queue's and the listener's own connections.
    embedded = await startEmbeddedDatabase(options.dataDir, options.poolSize + 10);
    connection = embedded.connection;
  }
  const pool = new pg.Pool({ ...connection, max: options.poolSize, application_name: 'pulse-crm' });
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
