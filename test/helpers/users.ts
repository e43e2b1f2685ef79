import { SignJWT } from 'jose';
import { userIdFor } from '../../src/server/auth.js';
import { withUser, type Tx } from '../../src/db/tenant.js';
import type { AppContext } from '../../src/app-context.js';

export const TEST_JWT_SECRET = 'test-secret-at-least-32-bytes-long!!';

export async function tokenFor(sub: string, secret = TEST_JWT_SECRET): Promise<string> {
  return new SignJWT({ email: `${sub}@example.test` }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(secret));
}

/** Creates the user row as the app would on first request, and returns its id. */
export async function ensureUser(ctx: AppContext, sub: string): Promise<string> {
  const id = userIdFor(sub);
  await withUser(ctx.db.pool, id, (tx) => tx.query('INSERT INTO users (id, external_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, sub]));
  return id;
}

export function asUser<T>(ctx: AppContext, userId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return withUser(ctx.db.pool, userId, work);
}
