import { createHash } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config.js';
import { isLoopback } from '../config.js';
import { AppError } from '../lib/errors.js';

/**
 * Who is calling: the host app sends a bearer JWT (HS256 shared secret or keys from a JWKS URL) and
 * its `sub` names the user. With no auth configured the server only runs on loopback, as a local
 * demo user, so `npm start` works with no set-up and is never exposed unauthenticated.
 */
export interface Caller {
  userId: string;
  sub: string;
  email?: string;
  /** When the caller's token expires (ms since the epoch); long-lived responses end by then. */
  expiresAt?: number;
}

export type Authenticate = (authorization: string | undefined) => Promise<Caller>;

export const DEMO_SUB = 'local-demo-user';

export function authMode(config: Config): 'jwt-secret' | 'jwks' | 'local-demo' {
  if (config.PULSE_AUTH_JWT_SECRET) return 'jwt-secret';
  if (config.PULSE_AUTH_JWKS_URL) return 'jwks';
  return 'local-demo';
}

export function assertSafeBinding(config: Config): void {
  if (authMode(config) === 'local-demo' && !isLoopback(config.HOST)) {
    throw new AppError(
      'forbidden',
      `Refusing to listen on ${config.HOST} without authentication. Set PULSE_AUTH_JWT_SECRET or PULSE_AUTH_JWKS_URL, or bind to 127.0.0.1 (HOST=127.0.0.1).`,
    );
  }
}

export function createAuthenticator(config: Config): Authenticate {
  const mode = authMode(config);
  if (mode === 'local-demo') {
    const caller = { userId: userIdFor(DEMO_SUB), sub: DEMO_SUB, email: 'demo@pulse.local' };
    return async () => caller;
  }
  const key: Uint8Array | JWTVerifyGetKey =
    mode === 'jwt-secret' ? new TextEncoder().encode(config.PULSE_AUTH_JWT_SECRET) : createRemoteJWKSet(new URL(config.PULSE_AUTH_JWKS_URL!));
  const options = {
    algorithms: mode === 'jwt-secret' ? ['HS256'] : undefined,
    issuer: config.PULSE_AUTH_ISSUER,
    audience: config.PULSE_AUTH_AUDIENCE,
  };
  return async (authorization) => {
    const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw new AppError('unauthorized', 'Send the host app\'s JWT as "Authorization: Bearer <token>".');
    try {
      const { payload } = await jwtVerify(token, key as Uint8Array, options);
      if (!payload.sub) throw new AppError('unauthorized', 'The token has no "sub" claim naming the user.');
      return {
        userId: userIdFor(payload.sub),
        sub: payload.sub,
        email: typeof payload.email === 'string' ? payload.email : undefined,
        expiresAt: payload.exp === undefined ? undefined : payload.exp * 1000,
      };
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('unauthorized', `The bearer token was rejected (${(error as Error).message}). Sign in again in the host app.`);
    }
  };
}

/**
 * A stable UUID (v5 layout, SHA-1 over a fixed namespace) for a `sub`, so a user row never has to
 * be looked up before the first query.
 */
export function userIdFor(sub: string): string {
  const hash = createHash('sha1').update('pulse-crm-users:').update(sub).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
