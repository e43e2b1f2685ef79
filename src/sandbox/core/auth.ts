/**
 * Access-token authentication and per-endpoint scope checks. A token needs one of the scopes the
 * route lists (write scopes do not imply read scopes); the emulator words each refusal.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorContext } from './context.js';
import type { EmulatorPolicy } from './emulator.js';
import { sendRefusal } from './refuse.js';
import type { AccessToken } from './tokens.js';

/** Returns the token, or sends the 401/403 and returns undefined. */
export function authenticate(ctx: EmulatorContext, emulator: EmulatorPolicy, req: FastifyRequest, reply: FastifyReply, scopes: string[]): AccessToken | undefined {
  const raw = emulator.accessToken(req);
  const token = raw ? ctx.store.tokens.access.get(raw) : undefined;
  if (!token || token.revoked || !ctx.store.accounts.has(token.accountId)) {
    sendRefusal(reply, emulator.refusals.unauthenticated(req), 401);
    return undefined;
  }
  const now = ctx.store.clock.now();
  if (token.expiresAt !== null && token.expiresAt <= now) {
    sendRefusal(reply, emulator.refusals.expired(req, token, now - token.expiresAt), 401);
    return undefined;
  }
  if (scopes.length > 0 && !scopes.some((s) => token.scopes.includes(s))) {
    sendRefusal(reply, emulator.refusals.missingScope(req, scopes), 403);
    return undefined;
  }
  return token;
}
