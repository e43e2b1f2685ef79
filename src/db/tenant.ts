import type pg from 'pg';
import { isDatabaseUnavailable } from './unavailable.js';

/**
 * Tenant-scoped transactions. `SET LOCAL ROLE` and `set_config(..., true)` last only for the
 * transaction, which is what keeps a pooled connection (and PGlite's single session) from leaking
 * one user's identity into the next query.
 */
export type Tx = pg.PoolClient;

export async function transaction<T>(pool: pg.Pool, setup: (tx: Tx) => Promise<void>, work: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A connection that drops (server restart, pg_terminate_backend) between two statements is only
  // noticed through the client's 'error' event (the pool keeps every client heard, see pool.ts):
  // mark it broken, so it is discarded instead of returned to the pool for the next transaction.
  let broken: Error | undefined;
  const onError = (error: Error) => { broken = error; };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    await setup(client);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    if (!broken && isDatabaseUnavailable(error)) broken = error as Error;
    if (!broken) await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

/** Runs `work` as the app role acting for `userId`: RLS shows it only that user's rows. */
export function withUser<T>(pool: pg.Pool, userId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return transaction(
    pool,
    (tx) => tx.query(`SELECT set_config('role', 'pulse_app', true), set_config('pulse.user_id', $1, true)`, [userId]).then(() => {}),
    work,
  );
}

/** Runs `work` as the system role, for the few jobs that span users (scheduler, key rotation). */
export function asSystem<T>(pool: pg.Pool, work: (tx: Tx) => Promise<T>): Promise<T> {
  return transaction(pool, (tx) => tx.query(`SET LOCAL ROLE pulse_system`).then(() => {}), work);
}
