import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { withUser } from '../db/tenant.js';
import { usersRepository } from '../db/users-repository.js';
import type { AppContext } from '../app-context.js';

/**
 * The `onRequest` hook of the authenticated scope: a route is protected unless its own config says
 * `public`, and the matched route — not the raw URL — decides, so no spelling of a path (percent
 * escapes, doubled slashes) reaches a handler without a caller.
 */
export function authenticateRoute(ctx: AppContext): onRequestAsyncHookHandler {
  const knownUsers = new Set<string>();
  return async (request) => {
    if (request.routeOptions.config.public) return;
    request.caller = await ctx.authenticate(request.headers.authorization ?? bearerFromQuery(request));
    if (!knownUsers.has(request.caller.userId)) {
      // The user row is created on first sight; RLS lets a user insert only their own id.
      await withUser(ctx.db.pool, request.caller.userId, (tx) => usersRepository(tx).ensure({
        id: request.caller.userId, externalId: request.caller.sub, email: request.caller.email ?? null,
      }));
      knownUsers.add(request.caller.userId);
    }
  };
}

/** EventSource cannot send headers: routes that declare `tokenInQuery` also take `?access_token=`. */
function bearerFromQuery(request: FastifyRequest): string | undefined {
  if (!request.routeOptions.config.tokenInQuery) return undefined;
  const token = (request.query as { access_token?: unknown } | undefined)?.access_token;
  return typeof token === 'string' && token ? `Bearer ${token}` : undefined;
}
