/**
 * Switches of the Salesforce emulator, on the admin API's shared `/_sandbox/settings` route:
 * `searchLagMs` is the commit lag (SOQL sees a write that long after its SystemModstamp, see README),
 * named as every emulator's search realism; `rotateRefreshTokens` turns on refresh-token rotation;
 * `sessionTimeoutSeconds` the org's session timeout (access-token lifetime); `dailyBulkQueryJobs` the
 * org's Bulk API 2.0 query jobs per 24 h (0: none left, so large listings go through REST).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ADMIN, parse } from '../core/admin-input.js';
import type { SalesforceContext } from './context.js';

const body = z.object({
  searchLagMs: z.number().int().nonnegative().optional(),
  shuffleTies: z.boolean().optional(),
  rotateRefreshTokens: z.boolean().optional(),
  sessionTimeoutSeconds: z.number().int().min(900).max(86_400).optional(),
  dailyBulkQueryJobs: z.number().int().nonnegative().optional(),
}).strict();

export function registerCommitLagAdmin(app: FastifyInstance, ctx: SalesforceContext): void {
  const current = () => ({ searchLagMs: ctx.options.commitLagMs, shuffleTies: false, rotateRefreshTokens: ctx.options.rotateRefreshTokens, sessionTimeoutSeconds: ctx.options.accessTokenTtlSeconds, dailyBulkQueryJobs: ctx.options.dailyBulkQueryJobs });
  app.get('/_sandbox/settings', ADMIN, async () => current());
  app.put('/_sandbox/settings', ADMIN, async (req, reply) => {
    const change = parse(body, req.body, reply);
    if (!change) return reply;
    if (change.searchLagMs !== undefined) ctx.options.commitLagMs = change.searchLagMs;
    if (change.rotateRefreshTokens !== undefined) ctx.options.rotateRefreshTokens = change.rotateRefreshTokens;
    if (change.sessionTimeoutSeconds !== undefined) ctx.options.accessTokenTtlSeconds = change.sessionTimeoutSeconds;
    if (change.dailyBulkQueryJobs !== undefined) ctx.options.dailyBulkQueryJobs = change.dailyBulkQueryJobs;
    return current();
  });
}
