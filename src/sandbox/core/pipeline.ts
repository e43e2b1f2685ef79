/**
 * The request pipeline every emulated API route goes through: count it, resolve the account, inject
 * any fault that matches, authenticate and check scopes, apply rate limits, truncate the body when a
 * fault asks. Admin routes (/_sandbox) skip all of it and are not counted.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate } from './auth.js';
import type { EmulatorContext, RouteConfig } from './context.js';
import type { EmulatorPolicy } from './emulator.js';
import { applyRateLimit } from './rate-limit.js';
import { sendRefusal } from './refuse.js';

function routeConfig(req: FastifyRequest): RouteConfig {
  return req.routeOptions.config?.sandbox ?? { kind: 'other' };
}

/**
 * Which account a request is about before authentication: its access token, else the OAuth form's
 * refresh token or code (RFC 6749 field names), else the default account.
 */
function accountOf(ctx: EmulatorContext, emulator: EmulatorPolicy, req: FastifyRequest) {
  const tokens = ctx.store.tokens;
  const body = (req.body ?? {}) as Record<string, unknown>;
  const raw = emulator.accessToken(req);
  const id =
    (raw && tokens.access.get(raw)?.accountId) ||
    (typeof body.refresh_token === 'string' && tokens.refresh.get(body.refresh_token)?.accountId) ||
    (typeof body.code === 'string' && tokens.codes.get(body.code)?.accountId) ||
    ctx.store.defaultAccountId;
  return ctx.store.account(id) ?? ctx.store.account()!;
}

/** Returns true when the fault answered (or dropped) the request. */
async function injectFault(ctx: EmulatorContext, emulator: EmulatorPolicy, req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  const account = req.sandbox.account;
  const rule = ctx.faults.match(account.id, req.method, req.url);
  if (!rule) return false;
  switch (rule.kind) {
    case 429:
      sendRefusal(reply, emulator.refusals.rateLimited(req, 'window'), 429);
      return true;
    case 500:
    case 502:
    case 503:
    case 504:
      sendRefusal(reply, emulator.refusals.serverError(req, rule.kind), rule.kind);
      return true;
    case 'drop':
      req.raw.socket.destroy();
      reply.hijack();
      return true;
    case 'hang':
      // Resolves only after hangMs; without it the socket is destroyed when the sandbox closes.
      await new Promise((resolve) => rule.hangMs !== undefined && setTimeout(resolve, rule.hangMs));
      return false;
    case 'truncate':
      req.sandbox.truncate = true;
      return false;
    case 'expire':
      ctx.store.tokens.expireAccess((t) => t.accountId === account.id);
      return false;
    case 'revoke':
      ctx.store.tokens.revokeAll((t) => t.accountId === account.id);
      return false;
  }
}

export function registerPipeline(app: FastifyInstance, ctx: EmulatorContext, emulator: EmulatorPolicy): void {
  app.decorateRequest('sandbox', null as never);
  app.addHook('onRequest', async (req, reply) => {
    const config = routeConfig(req);
    if (config.admin) return;
    ctx.counter.record(config.kind);
    for (const [name, value] of Object.entries(emulator.responseHeaders?.(req) ?? {})) reply.header(name, value);
  });
  app.addHook('preHandler', async (req, reply) => {
    const config = routeConfig(req);
    if (config.admin) return;
    req.sandbox = { account: accountOf(ctx, emulator, req) };
    if (await injectFault(ctx, emulator, req, reply)) return reply;
    const scopes = config.scopes?.(req);
    if (!scopes) return;
    const token = authenticate(ctx, emulator, req, reply, scopes);
    if (!token) return reply;
    req.sandbox = { ...req.sandbox, account: ctx.store.account(token.accountId)!, token };
    if (config.limit && !applyRateLimit(ctx, emulator, req, reply, token, config.limit)) return reply;
  });
  app.addHook('onSend', async (req, _reply, payload) => {
    if (!req.sandbox?.truncate || typeof payload !== 'string') return payload;
    return payload.slice(0, Math.max(1, Math.floor(payload.length / 2)));
  });
  app.addHook('onResponse', async (req, reply) => {
    if (routeConfig(req).admin) return;
    ctx.counter.recordStatus(reply.statusCode);
    // Only what reached the account's limit counts against it: refused requests do not (as the limiter).
    if (req.sandbox?.token && reply.statusCode !== 429) ctx.counter.recordAccount(req.sandbox.token.accountId);
  });
}
