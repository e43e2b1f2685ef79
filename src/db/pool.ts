import pg from 'pg';
import type { EmbeddedDatabase } from './embedded.js';

/**
 * The one way into the database: a `pg` pool, to the server at DATABASE_URL or to embedded PGlite.
 * Everything above this module sees the same pool whichever it is.
 */
export interface Database {
  pool: pg.Pool;
  kind: 'postgres' | 'pglite';
  /** Connection options for libraries that open their own connections (pg-boss, LISTEN). */
  connection: pg.PoolConfig;
  /** Embedded only: the bytes of WASM memory the database runs in (the memory log reports it). */
  wasmMemoryBytes?(): number;
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

export const applicationName = `pulse-crm/${process.pid}`;

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  let embedded: EmbeddedDatabase | undefined;
  let connection: pg.PoolConfig;
  if (options.databaseUrl) {
    // Every connection names its process, so an operator (or a fault-injection test) can tell in
    // pg_stat_activity which process holds which backend.
    connection = { connectionString: options.databaseUrl, application_name: applicationName };
  } else {
    // The product's pool uses one connection (below); the rest are for tools and tests that open their own.
    // PGlite (WASM) is loaded only where it runs: a process on a PostgreSQL server never holds it in memory.
    const { startEmbeddedDatabase } = await import('./embedded.js');
    embedded = await startEmbeddedDatabase(options.dataDir, options.poolSize + 10);
    connection = embedded.connection;
  }
  // PGlite is one session behind the socket: statements of two connections outside a transaction can
  // interleave mid-protocol (one connection's Bind meets the other's Parse). One connection avoids
  // that and costs nothing, since PGlite runs one statement at a time anyway.
  const max = embedded ? 1 : options.poolSize;
  // A server that does not answer fails the request in seconds (503, retried) instead of hanging it.
  const pool = new pg.Pool({ ...connection, max, application_name: applicationName, connectionTimeoutMillis: 10_000 });
  // A connection that drops emits 'error' on its client — idle in the pool, checked out between two
  // statements, or ended while the server's goodbye is still in flight — and an unheard 'error' event
  // ends the process. Every client gets a listener for its whole life: the statement in flight fails
  // on its own (and is retried by its caller), and the pool discards the broken client.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return {
    pool,
    kind: embedded ? 'pglite' : 'postgres',
    connection,
    ...(embedded ? { wasmMemoryBytes: embedded.wasmMemoryBytes } : {}),
    async close() {
      await pool.end();
      await embedded?.close();
    },
  };
}
