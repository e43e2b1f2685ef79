/**
 * Two refusals Zoho makes after authentication, as hooks after the core pipeline: a token used on
 * another data centre's API domain than its org's is an invalid token there (401 INVALID_TOKEN), and
 * an app may have only so many calls in flight per org (the edition's concurrency; 429
 * RATE_LIMIT_EXCEEDED past it).
 */
import type { FastifyInstance } from 'fastify';
import type { ZohoContext } from './context.js';
import { locationOf } from './datacentres.js';
import { sendZohoError } from './errors.js';
import { CONCURRENCY } from './limits.js';

export function registerGuards(app: FastifyInstance, ctx: ZohoContext): void {
  const inFlight = new Map<string, number>();
  const held = new WeakSet<object>();
  app.addHook('onRequest', async (req) => {
    // api_domain and accounts-server are built on the origin the client reached us at.
    if (req.headers.host) ctx.origin = `${req.protocol}://${req.headers.host}`;
  });
  app.addHook('preHandler', async (req, reply) => {
    const token = req.sandbox?.token;
    if (!token || reply.sent) return;
    const location = locationOf(req);
    if (!location) return sendZohoError(reply, 404, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one');
    if (ctx.orgs.get(token.accountId)?.location !== location) return sendZohoError(reply, 401, 'INVALID_TOKEN', 'invalid oauth token');
    const max = ctx.options.rateLimits ? CONCURRENCY[req.sandbox.account.limits.tier] ?? null : null;
    if (max === null) return;
    const key = `${token.accountId}:${token.clientId}`;
    const now = inFlight.get(key) ?? 0;
    if (now >= max) return sendZohoError(reply, 429, 'RATE_LIMIT_EXCEEDED', 'Too many requests. Please try again later.', { concurrency_limit: max });
    inFlight.set(key, now + 1);
    held.add(req);
  });
  app.addHook('onResponse', async (req) => {
    const token = req.sandbox?.token;
    if (!token || !held.has(req)) return;
    const key = `${token.accountId}:${token.clientId}`;
    inFlight.set(key, Math.max(0, (inFlight.get(key) ?? 1) - 1));
  });
}
