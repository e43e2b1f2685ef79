import type { Tx } from './tenant.js';

/**
 * users: one row per person the identity provider vouched for, created the first time they call
 * the API (the integrations and everything synced hang off it). Run as that user: RLS lets a user
 * insert only their own id.
 */
export interface NewUser {
  id: string;
  /** The token's `sub`. */
  externalId: string;
  email: string | null;
}

export function usersRepository(tx: Tx) {
  return {
    /** Creates the row unless it is there; an existing row is left as it is (no update of the email). */
    async ensure(user: NewUser): Promise<void> {
      await tx.query('INSERT INTO users (id, external_id, email) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [
        user.id, user.externalId, user.email,
      ]);
    },
  };
}
