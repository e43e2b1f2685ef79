/**
 * Assembles the HubSpot emulator: one Fastify instance serving api.hubapi.com's paths (and the
 * app.hubspot.com consent page) at the root of its origin, plus the /_sandbox admin API.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerCoreAdmin } from '../core/admin-routes.js';
import type { Clock } from '../core/clock.js';
import { FaultInjector } from '../core/faults.js';
import { RateLimiter } from '../core/limiter.js';
import { RequestCounter } from '../core/request-counter.js';
import { SandboxStore, type SandboxApp } from '../core/store.js';
import { WebhookDispatcher, type DispatcherOptions } from '../core/webhooks.js';
import { createAccount } from './accounts.js';
import { registerHubspotAdmin } from './admin-routes.js';
import { registerAssociationRoutes } from './associations-routes.js';
import { registerAuthorizeRoutes } from './authorize-routes.js';
import { registerBatchRoutes } from './batch-routes.js';
import type { HubspotContext, HubspotOptions } from './context.js';
import { errorBody } from './errors.js';
import type { RecordCounts } from './generate.js';
import { registerHooks } from './hooks.js';
import { LIMIT_TIERS, limitsFor, type LimitTier } from './limits.js';
import { registerMetadataRoutes } from './metadata-routes.js';
import { registerObjectRoutes } from './objects-routes.js';
import { registerSearchRoutes } from './search-routes.js';
import { HUBSPOT_TOKEN_FORMATS } from './token-formats.js';
import { registerTokenRoutes } from './token-routes.js';
import { registerWebhookRoutes } from './webhook-routes.js';
import { createEmitter } from './webhook-events.js';
import { WebhookRegistry } from './webhook-registry.js';

export interface HubspotServerOptions extends HubspotOptions {
  clock: Clock;
  seed: number;
  records: number | Partial<RecordCounts>;
  apps: SandboxApp[];
  limits: LimitTier;
  webhooks?: DispatcherOptions;
}

export function createHubspotServer(opts: HubspotServerOptions): { app: FastifyInstance; ctx: HubspotContext } {
  const store = new SandboxStore(opts.clock, opts.seed, HUBSPOT_TOKEN_FORMATS);
  for (const a of opts.apps) store.apps.set(a.clientId, { ...a });
  const account = createAccount(store, { records: opts.records, limits: limitsFor(opts.rateLimits ? opts.limits : 'off') }, opts.anchor);
  store.defaultAccountId = account.id;

  let ctx!: HubspotContext;
  ctx = {
    store,
    limiter: new RateLimiter(opts.clock),
    faults: new FaultInjector(opts.seed),
    counter: new RequestCounter(),
    dispatcher: new WebhookDispatcher(opts.clock, opts.webhooks),
    webhooks: new WebhookRegistry(),
    options: { accessTokenTtlSeconds: opts.accessTokenTtlSeconds, rateLimits: opts.rateLimits, developerApiKey: opts.developerApiKey, anchor: opts.anchor },
    emit: createEmitter(() => ctx),
  };

  // Tokens travel in paths (/oauth/v1/access-tokens/{token}) and are ~165 characters long.
  const app = Fastify({ logger: false, forceCloseConnections: true, genReqId: () => randomUUID(), routerOptions: { maxParamLength: 1000 }, bodyLimit: 20 * 1024 * 1024 });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  app.setErrorHandler((err: { statusCode?: number; message: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (req.url.startsWith('/_sandbox')) return reply.code(status).send({ error: { code: 'error', message: err.message } });
    const body = status < 500 ? errorBody(req, 'VALIDATION_ERROR', `Invalid input JSON: ${err.message}`) : errorBody(req, 'INTERNAL_ERROR', 'internal error');
    return reply.code(status).type('application/json;charset=utf-8').send(body);
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).type('application/json;charset=utf-8').send(errorBody(req, 'OBJECT_NOT_FOUND', 'resource not found')));

  registerHooks(app, ctx);
  registerAuthorizeRoutes(app, ctx);
  registerTokenRoutes(app, ctx);
  registerObjectRoutes(app, ctx);
  registerBatchRoutes(app, ctx);
  registerSearchRoutes(app, ctx);
  registerAssociationRoutes(app, ctx);
  registerMetadataRoutes(app, ctx);
  registerWebhookRoutes(app, ctx);
  registerCoreAdmin(app, { store, clock: opts.clock, faults: ctx.faults, counter: ctx.counter, limiter: ctx.limiter, dispatcher: ctx.dispatcher, tiers: LIMIT_TIERS });
  registerHubspotAdmin(app, ctx);
  app.addHook('onClose', async () => ctx.dispatcher.close());
  return { app, ctx };
}
