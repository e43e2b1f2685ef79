/**
 * The request pipeline every HubSpot route goes through: count it, resolve the account, inject any
 * fault that matches, authenticate and check scopes, apply rate limits. Admin routes (/_sandbox) skip
 * all of it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate, bearerToken } from './auth.js';
import type { HubspotContext, RouteConfig } from './context.js';
import { errorBody, rateLimitBody } from './errors.js';
import { applyRateLimit } from './rate-limit.js';

const gatewayPage = (status: number, text: string) =>
  `<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n</body>\r\n</html>\r\n`;
const GATEWAY_TEXT: Record<number, string> = { 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' };

function routeConfig(req: FastifyRequest): RouteConfig {
  return req.routeOptions.config?.sandbox ?? { kind: 'other' };
}

/** Which account a request is about before authentication: its token, code or refresh token. */
function accountOf(ctx: HubspotContext, req: FastifyRequest) {
  const tokens = ctx.store.tokens;
  const body = (req.body ?? {}) as Record<string, unknown>;
  const raw = bearerToken(req);
  const id =
    (raw && tokens.access.get(raw)?.accountId) ||
    (typeof body.refresh_token === 'string' && tokens.refresh.get(body.refresh_token)?.accountId) ||
    (typeof body.code === 'string' && tokens.codes.get(body.code)?.accountId) ||
    ctx.store.defaultAccountId;
  return ctx.store.account(id) ?? ctx.store.account()!;
}

async function injectFault(ctx: HubspotContext, req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  const account = req.hs.account;
  const rule = ctx.faults.match(account.id, req.method, req.url);
  if (!rule) return false;
  switch (rule.kind) {
    case 429:
      reply.code(429).type('application/json;charset=utf-8').send(rateLimitBody(req, 'TEN_SECONDLY_ROLLING'));
      return true;
    case 500:
      reply.code(500).type('application/json;charset=utf-8').send(errorBody(req, 'INTERNAL_ERROR', 'internal error'));
      return true;
    case 502:
    case 503:
    case 504:
      reply.code(rule.kind).type('text/html').send(gatewayPage(rule.kind, GATEWAY_TEXT[rule.kind]!));
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
      req.hs.truncate = true;
      return false;
    case 'expire':
      ctx.store.tokens.expireAccess((t) => t.accountId === account.id);
      return false;
    case 'revoke':
      ctx.store.tokens.revokeAll((t) => t.accountId === account.id);
      return false;
  }
}

export function registerHooks(app: FastifyInstance, ctx: HubspotContext): void {
  app.decorateRequest('hs', null as never);
  app.addHook('onRequest', async (req, reply) => {
    const config = routeConfig(req);
    if (config.admin) return;
    ctx.counter.record(config.kind);
    reply.header('X-HubSpot-Correlation-Id', req.id);
  });
  app.addHook('preHandler', async (req, reply) => {
    const config = routeConfig(req);
    if (config.admin) return;
    req.hs = { account: accountOf(ctx, req) };
    if (await injectFault(ctx, req, reply)) return reply;
    const scopes = config.scopes?.(req);
    if (!scopes) return;
    const token = authenticate(ctx, req, reply, scopes);
    if (!token) return reply;
    req.hs = { ...req.hs, account: ctx.store.account(token.accountId)!, token };
    if (config.limit && !applyRateLimit(ctx, req, reply, token, config.limit)) return reply;
  });
  app.addHook('onSend', async (req, _reply, payload) => {
    if (!req.hs?.truncate || typeof payload !== 'string') return payload;
    return payload.slice(0, Math.max(1, Math.floor(payload.length / 2)));
  });
  app.addHook('onResponse', async (req, reply) => {
    if (!routeConfig(req).admin) ctx.counter.recordStatus(reply.statusCode);
  });
}
