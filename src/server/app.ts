import fastifyCompress from '@fastify/compress';
import fastifyHelmet from '@fastify/helmet';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import type { Caller } from './auth.js';
import type { AppContext } from '../app-context.js';
import { authenticateRoute } from './authenticate-route.js';
import { badUrlError, registerErrorHandler, sendError } from './errors.js';
import { registerCors } from './cors.js';
import { registerMetrics } from './metrics.js';
import { registerOpenApi } from './openapi.js';
import { healthRoutes } from './routes/health.js';
import { integrationRoutes } from './routes/integrations.js';
import { filterRoutes } from './routes/filters.js';
import { fieldMappingRoutes } from './routes/field-mappings.js';
import { platformRoutes } from './routes/platforms.js';
import { oauthRoutes } from './routes/oauth.js';
import { connectionRoutes } from './routes/connection.js';
import { realtimeSetupRoutes } from './routes/realtime-setup.js';
import { eventRoutes } from './routes/events.js';
import { browseRoutes } from './routes/browse.js';
import { recordCountRoutes } from './routes/record-counts.js';
import { recordRoutes } from './routes/records.js';
import { syncRoutes } from './routes/sync.js';
import { webhookRoutes } from './routes/webhooks.js';
import { registerWebAssets } from './web-assets.js';


declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
  }
  interface FastifyContextConfig {
    /** Routes that answer without a caller (health, metrics, OAuth callback, the UI). */
    public?: boolean;
    /** The route also takes the bearer token as `?access_token=` (EventSource cannot send headers). */
    tokenInQuery?: boolean;
  }
}

/**
 * What the built UI needs and nothing more: its own scripts, styles, fetches and the live-event
 * stream. No page of ours may be framed (clickjacking the consent and disconnect buttons). Pages
 * with an inline script of their own (the OAuth callback) send their own policy with its hash.
 */
const contentSecurityPolicy = (publicUrl: string) => ({
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  // The popup-blocked connect posts to PUBLIC_URL, which is another origin when the page was opened
  // under another host name (localhost for 127.0.0.1).
  formAction: ["'self'", new URL(publicUrl).origin],
  frameAncestors: ["'none'"],
});

export interface AppOptions {
  /** Serve the built web UI at `/` (tests of the API alone switch it off). */
  serveWeb?: boolean;
}

export async function buildApp(ctx: AppContext, options: AppOptions = {}): Promise<FastifyInstance & { metrics: Registry }> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    // Live-event streams never end on their own: close them with the server.
    forceCloseConnections: true,
    // Malformed percent-escapes fail before routing; answer them in the documented error shape.
    frameworkErrors: (error, request, reply) => {
      const body = error.code === 'FST_ERR_BAD_URL' ? badUrlError(request.url) : sendError('bad_request', error.message);
      void (reply as FastifyReply).status(400).send(body);
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(ctx.config.publicUrl) },
    // The wizard's consent popup must keep its link to the page that opened it (helmet's default cuts it).
    crossOriginOpenerPolicy: { policy: 'same-origin-allow-popups' },
    // The popup-blocked connect posts a form to PUBLIC_URL; with no-referrer its Origin header would be "null".
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    // The same as frame-ancestors 'none', for browsers that predate it.
    xFrameOptions: { action: 'deny' },
  });
  await app.register(fastifyCompress, { threshold: 1024, encodings: ['br', 'gzip'] });
  await registerCors(app, ctx.config);

  await registerOpenApi(app, ctx.config);

  app.decorateRequest('caller', null as unknown as Caller);
  const metrics = registerMetrics(app, ctx);

  // Every route below authenticates unless its own config says `public`. The decision is made on the
  // route Fastify matched, never on the URL string: `/%61pi/integrations` matches the same route as
  // `/api/integrations` and must meet the same check.
  await app.register(async (routes) => {
    routes.addHook('onRequest', authenticateRoute(ctx));
    await routes.register(healthRoutes(ctx));
    await routes.register(platformRoutes(ctx));
    await routes.register(integrationRoutes(ctx));
    await routes.register(filterRoutes(ctx));
    await routes.register(fieldMappingRoutes(ctx));
    await routes.register(oauthRoutes(ctx));
    await routes.register(connectionRoutes(ctx));
    await routes.register(realtimeSetupRoutes(ctx));
    await routes.register(syncRoutes(ctx));
    await routes.register(eventRoutes(ctx));
    await routes.register(recordRoutes(ctx));
    await routes.register(recordCountRoutes(ctx));
    await routes.register(browseRoutes(ctx));
    await routes.register(webhookRoutes(ctx));
  });

  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  if (options.serveWeb !== false) await registerWebAssets(app);
  return Object.assign(app, { metrics });
}
