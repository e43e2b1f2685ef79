import type pg from 'pg';
import { asSystem } from '../db/tenant.js';
import { decryptSecret, encryptSecret, keyIdOf, type KeyRing } from './secrets.js';

/**
 * Re-encrypts every stored secret not yet under the ring's primary key, in one transaction: either
 * all values move to the new key or none do. Returns how many values changed.
 */
export const secretColumns = [
  { table: 'crm_integrations', columns: ['api_key', 'access_token', 'refresh_token'] },
] as const;

export async function reencryptAll(pool: pg.Pool, ring: KeyRing): Promise<number> {
  return asSystem(pool, async (tx) => {
    let changed = 0;
    for (const { table, columns } of secretColumns) {
      const { rows } = await tx.query(`SELECT id, ${columns.join(', ')} FROM ${table} FOR UPDATE`);
      for (const row of rows) {
        const updates = columns.filter((column) => row[column] && keyIdOf(row[column]) !== ring.primary.id);
        if (updates.length === 0) continue;
        const values = updates.map((column) => encryptSecret(ring, decryptSecret(ring, row[column])));
        const assignments = updates.map((column, index) => `${column} = $${index + 2}`).join(', ');
        await tx.query(`UPDATE ${table} SET ${assignments} WHERE id = $1`, [row.id, ...values]);
        changed += updates.length;
      }
    }
    return changed;
  });
}
