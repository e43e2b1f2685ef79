/**
 * Bearer-token authentication and per-endpoint scope checks with HubSpot's 401 / 403 bodies.
 * A token needs one of the scopes the endpoint lists; write scopes do not imply read scopes.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessToken } from '../core/tokens.js';
import type { HubspotContext } from './context.js';
import { sendError } from './errors.js';

const NO_CREDENTIALS =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

export function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

/** Returns the token, or sends the 401/403 and returns undefined. */
export function authenticate(ctx: HubspotContext, req: FastifyRequest, reply: FastifyReply, scopes: string[]): AccessToken | undefined {
  const raw = bearerToken(req);
  const token = raw ? ctx.store.tokens.access.get(raw) : undefined;
  if (!token || token.revoked || !ctx.store.accounts.has(token.accountId)) {
    sendError(req, reply, 401, 'INVALID_AUTHENTICATION', NO_CREDENTIALS);
    return undefined;
  }
  const now = ctx.store.clock.now();
  if (token.expiresAt !== null && token.expiresAt <= now) {
    const ago = Math.max(1, Math.round((now - token.expiresAt) / 1000));
    sendError(req, reply, 401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${ago} second(s) ago.`, {
      context: { 'expire time': [new Date(token.expiresAt).toISOString()] },
    });
    return undefined;
  }
  if (scopes.length > 0 && !scopes.some((s) => token.scopes.includes(s))) {
    sendError(
      req,
      reply,
      403,
      'MISSING_SCOPES',
      'This app hasn\'t been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.',
      {
        errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: scopes } }],
        links: { scopes: 'https://developers.hubspot.com/scopes' },
      },
    );
    return undefined;
  }
  return token;
}
