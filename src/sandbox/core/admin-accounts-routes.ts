/**
 * Generic admin routes for accounts: `POST /_sandbox/accounts` (a new account with generated
 * records) and `POST /_sandbox/seed` (replace an account's records). The emulator makes the account
 * (its ids, users, generator); the body shape is the same for every CRM.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ADMIN, adminError, parse } from './admin-input.js';
import type { EmulatorContext } from './context.js';
import type { Emulator } from './emulator.js';
import { NO_LIMITS } from './store.js';

const count = z.number().int().nonnegative();
const records = z.union([count, z.object({ contacts: count.optional(), companies: count.optional(), deals: count.optional() })]);
const newAccount = z.object({ id: z.number().int().positive().optional(), name: z.string().optional(), domain: z.string().optional(), userEmail: z.string().email().optional(), records: records.optional(), limits: z.string().optional() });
const reseed = z.object({ accountId: z.number().int().optional(), seed: z.number().int().optional(), records });

export function registerAccountAdmin<Ctx extends EmulatorContext>(app: FastifyInstance, emulator: Emulator<Ctx>, ctx: Ctx): void {
  app.post('/_sandbox/accounts', ADMIN, async (req, reply) => {
    const body = parse(newAccount, req.body, reply);
    if (!body) return reply;
    if (body.id !== undefined && ctx.store.accounts.has(body.id)) return adminError(reply, 409, 'conflict', `account ${body.id} exists`);
    const tiers = emulator.limits.tiers;
    if (body.limits !== undefined && !tiers[body.limits]) return adminError(reply, 400, 'invalid_input', `unknown tier ${body.limits}; one of ${Object.keys(tiers).join(', ')}`);
    const limits = body.limits ? tiers[body.limits]! : ctx.options.rateLimits ? tiers[emulator.limits.defaultTier]! : NO_LIMITS;
    const a = emulator.accounts.create(ctx, { ...body, limits: { ...limits } });
    return reply.code(201).send({ id: a.id, name: a.name, domain: a.domain, users: a.users, limits: a.limits });
  });

  app.post('/_sandbox/seed', ADMIN, async (req, reply) => {
    const body = parse(reseed, req.body, reply);
    if (!body) return reply;
    const a = ctx.store.account(body.accountId);
    if (!a) return adminError(reply, 404, 'not_found', `unknown account ${body.accountId}`);
    const started = performance.now();
    emulator.accounts.reseed(ctx, a, body.seed ?? ctx.store.seed, body.records);
    return { accountId: a.id, counts: Object.fromEntries([...a.data.collections].map(([t, c]) => [t, c.liveCount])), ms: Math.round(performance.now() - started) };
  });
}
