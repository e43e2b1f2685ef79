import type pg from 'pg';
import { asSystem } from '../db/tenant.js';
import { decryptSecret, describeSecret, encryptSecret, type KeyRing } from './secrets.js';

/**
 * Re-encrypts every stored secret not yet under the ring's primary key, or not yet bound to its row
 * and column (enc:v1), in one transaction: either all values move or none do. Returns how many changed.
 */
export const secretColumns = [
  { table: 'crm_integrations', key: 'id', columns: ['api_key', 'access_token', 'refresh_token'] },
  // PKCE verifiers of connections in progress: after the old key is dropped they must still open.
  { table: 'oauth_states', key: 'state_hash', columns: ['code_verifier'] },
  // The credentials a CRM sends back with each webhook delivery.
  { table: 'crm_webhook_subscriptions', key: 'id', columns: ['secret'] },
] as const;

export async function reencryptAll(pool: pg.Pool, ring: KeyRing): Promise<number> {
  return asSystem(pool, async (tx) => {
    let changed = 0;
    for (const { table, key, columns } of secretColumns) {
      const { rows } = await tx.query(`SELECT ${key} AS row_key, ${columns.join(', ')} FROM ${table} FOR UPDATE`);
      for (const row of rows) {
        const updates = (columns as readonly string[]).filter((column) => {
          const stored = row[column] ? describeSecret(row[column]) : undefined;
          return stored && (stored.keyId !== ring.primary.id || !stored.bound);
        });
        if (updates.length === 0) continue;
        const values = updates.map((column) => {
          const place = { table, column, row: String(row.row_key) };
          return encryptSecret(ring, decryptSecret(ring, row[column], place), place);
        });
        const assignments = updates.map((column, index) => `${column} = $${index + 2}`).join(', ');
        await tx.query(`UPDATE ${table} SET ${assignments} WHERE ${key} = $1`, [row.row_key, ...values]);
        changed += updates.length;
      }
    }
    return changed;
  });
}
