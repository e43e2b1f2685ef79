/**
 * Provider-agnostic admin API under /_sandbox/: the clock, faults, request counts, limit settings,
 * OAuth apps, token expiry/revocation and webhook delivery logs. Providers add their own data routes.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Clock } from './clock.js';
import { FAULT_KINDS, type FaultInjector } from './faults.js';
import type { RateLimiter } from './limiter.js';
import type { RequestCounter } from './request-counter.js';
import type { LimitSettings, SandboxStore } from './store.js';
import type { WebhookDispatcher } from './webhooks.js';
import { ADMIN, adminError, parse } from './admin-input.js';

export interface CoreAdminDeps {
  store: SandboxStore;
  clock: Clock;
  faults: FaultInjector;
  counter: RequestCounter;
  limiter: RateLimiter;
  dispatcher: WebhookDispatcher;
  tiers: Record<string, LimitSettings>;
}

const faultSchema = z.object({
  kind: z.union([z.enum(FAULT_KINDS.filter((k) => typeof k === 'string') as ['hang', 'drop', 'truncate', 'expire', 'revoke']), z.literal([429, 500, 502, 503, 504])]),
  next: z.number().int().positive().optional(),
  share: z.number().min(0).max(1).optional(),
  skip: z.number().int().nonnegative().optional(),
  pathPrefix: z.string().optional(),
  method: z.string().optional(),
  accountId: z.number().int().optional(),
  hangMs: z.number().int().nonnegative().optional(),
});
const limitsSchema = z.object({
  tier: z.string().optional(),
  windowMs: z.number().int().positive().optional(),
  windowMax: z.number().int().positive().nullable().optional(),
  dailyMax: z.number().int().nonnegative().nullable().optional(),
  searchPerSecond: z.number().int().positive().nullable().optional(),
  dailyHeaders: z.boolean().optional(),
});
const appSchema = z.object({
  redirectUris: z.array(z.string().url()).optional(),
  scopes: z.array(z.string()).optional(),
  optionalScopes: z.array(z.string()).optional(),
  name: z.string().optional(),
});
const tokenFilter = z.object({ token: z.string().optional(), accountId: z.number().int().optional(), clientId: z.string().optional() });

export function registerCoreAdmin(app: FastifyInstance, d: CoreAdminDeps): void {
  app.get('/_sandbox/clock', ADMIN, async () => ({ now: new Date(d.clock.now()).toISOString(), nowMs: d.clock.now(), offsetMs: d.clock.offset() }));
  app.post('/_sandbox/clock', ADMIN, async (req, reply) => {
    const body = parse(z.object({ advanceMs: z.number().nonnegative() }), req.body, reply);
    if (!body) return reply;
    d.clock.advance(body.advanceMs);
    return { now: new Date(d.clock.now()).toISOString(), nowMs: d.clock.now(), offsetMs: d.clock.offset() };
  });

  app.get('/_sandbox/faults', ADMIN, async () => ({ faults: d.faults.list() }));
  app.post('/_sandbox/faults', ADMIN, async (req, reply) => {
    const body = parse(faultSchema, req.body, reply);
    return body ? reply.code(201).send(d.faults.add(body)) : reply;
  });
  app.delete('/_sandbox/faults', ADMIN, async (req, reply) => {
    const accountId = (req.query as { accountId?: string }).accountId;
    d.faults.clear(accountId ? Number(accountId) : undefined);
    return reply.code(204).send();
  });

  app.get('/_sandbox/requests', ADMIN, async () => d.counter.snapshot());
  app.delete('/_sandbox/requests', ADMIN, async (_req, reply) => {
    d.counter.reset();
    return reply.code(204).send();
  });

  app.get('/_sandbox/accounts/:id/limits', ADMIN, async (req, reply) => {
    const account = d.store.account(Number((req.params as { id: string }).id));
    if (!account) return adminError(reply, 404, 'not_found', 'unknown account');
    const day = d.limiter.daily(`${account.id}:daily`, account.limits.dailyMax, false);
    return { ...account.limits, dailyUsed: day.used, dailyResetsAt: new Date(day.resetsAt).toISOString(), tiers: Object.keys(d.tiers) };
  });
  app.put('/_sandbox/accounts/:id/limits', ADMIN, async (req, reply) => {
    const account = d.store.account(Number((req.params as { id: string }).id));
    if (!account) return adminError(reply, 404, 'not_found', 'unknown account');
    const body = parse(limitsSchema, req.body, reply);
    if (!body) return reply;
    const base = body.tier ? d.tiers[body.tier] : account.limits;
    if (!base) return adminError(reply, 400, 'invalid_input', `unknown tier ${body.tier}; one of ${Object.keys(d.tiers).join(', ')}`);
    const { tier: _t, ...overrides } = body;
    account.limits = { ...base, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
    if ((req.query as { reset?: string }).reset !== 'false') d.limiter.reset(`${account.id}:`);
    return account.limits;
  });

  app.get('/_sandbox/apps', ADMIN, async () => ({ apps: [...d.store.apps.values()] }));
  app.post('/_sandbox/apps', ADMIN, async (req, reply) => {
    const body = parse(appSchema.extend({ clientId: z.string(), clientSecret: z.string(), appId: z.number().int(), redirectUris: z.array(z.string().url()) }), req.body, reply);
    if (!body) return reply;
    d.store.apps.set(body.clientId, body);
    return reply.code(201).send(body);
  });
  app.put('/_sandbox/apps/:clientId', ADMIN, async (req, reply) => {
    const existing = d.store.apps.get((req.params as { clientId: string }).clientId);
    if (!existing) return adminError(reply, 404, 'not_found', 'unknown client id');
    const body = parse(appSchema, req.body, reply);
    if (!body) return reply;
    Object.assign(existing, Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)));
    return existing;
  });

  const matcher = (f: z.infer<typeof tokenFilter>) => (t: { token?: string; accountId: number; clientId: string; refreshToken?: string }) =>
    (!f.token || t.token === f.token || t.refreshToken === f.token) && (f.accountId === undefined || t.accountId === f.accountId) && (!f.clientId || t.clientId === f.clientId);
  app.post('/_sandbox/tokens/expire', ADMIN, async (req, reply) => {
    const body = parse(tokenFilter, req.body, reply);
    return body ? { expired: d.store.tokens.expireAccess(matcher(body)) } : reply;
  });
  app.post('/_sandbox/tokens/revoke', ADMIN, async (req, reply) => {
    const body = parse(tokenFilter, req.body, reply);
    return body ? { revoked: d.store.tokens.revokeAll(matcher(body) as never) } : reply;
  });

  app.get('/_sandbox/webhooks/deliveries', ADMIN, async () => ({ deliveries: d.dispatcher.log }));
}
