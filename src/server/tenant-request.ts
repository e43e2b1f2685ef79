import type { FastifyRequest } from 'fastify';
import { withUser, type Tx } from '../db/tenant.js';
import type { AppContext } from '../app-context.js';

/** Runs `work` in a transaction acting for the request's authenticated user. */
export function asCaller<T>(ctx: AppContext, request: FastifyRequest, work: (tx: Tx) => Promise<T>): Promise<T> {
  return withUser(ctx.db.pool, request.caller.userId, work);
}
