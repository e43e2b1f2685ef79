import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import { withUser } from '../db/tenant.js';
import type { Caller } from './auth.js';
import type { AppContext } from './context.js';
import { registerErrorHandler } from './errors.js';
import { registerMetrics } from './metrics.js';
import { healthRoutes } from './routes/health.js';
import { integrationRoutes } from './routes/integrations.js';
import { platformRoutes } from './routes/platforms.js';
import { oauthRoutes } from './routes/oauth.js';
import { connectionRoutes } from './routes/connection.js';
import { eventRoutes } from './routes/events.js';
import { browseRoutes } from './routes/browse.js';
import { recordCountRoutes } from './routes/record-counts.js';
import { recordRoutes } from './routes/records.js';
import { syncRoutes } from './routes/sync.js';
import { webhookRoutes } from './routes/webhooks.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
  }
  interface FastifyContextConfig {
    /** Routes that answer without a caller (health, metrics, OAuth callback, the UI). */
    public?: boolean;
  }
}

export const webDistDir = fileURLToPath(new URL('../../dist/web/', import.meta.url));

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
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Pulse CRM Integrations API', version: '1.0.0', description: 'Connect a CRM and read its synced contacts, companies and deals.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  app.decorateRequest('caller', null as unknown as Caller);
  const knownUsers = new Set<string>();
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public || !request.url.startsWith('/api/')) return;
    // EventSource cannot send headers: the SSE stream also takes the token as ?access_token=.
    const queryToken = request.url.startsWith('/api/events') ? (request.query as { access_token?: string }).access_token : undefined;
    request.caller = await ctx.authenticate(request.headers.authorization ?? (queryToken ? `Bearer ${queryToken}` : undefined));
    if (!knownUsers.has(request.caller.userId)) {
      // The user row is created on first sight; RLS lets a user insert only their own id.
      await withUser(ctx.db.pool, request.caller.userId, (tx) =>
        tx.query('INSERT INTO users (id, external_id, email) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [
          request.caller.userId, request.caller.sub, request.caller.email ?? null,
        ]));
      knownUsers.add(request.caller.userId);
    }
  });

  const metrics = registerMetrics(app, ctx);
  await app.register(healthRoutes(ctx));
  await app.register(platformRoutes(ctx));
  await app.register(integrationRoutes(ctx));
  await app.register(oauthRoutes(ctx));
  await app.register(connectionRoutes(ctx));
  await app.register(syncRoutes(ctx));
  await app.register(eventRoutes(ctx));
  await app.register(recordRoutes(ctx));
  await app.register(recordCountRoutes(ctx));
  await app.register(browseRoutes(ctx));
  await app.register(webhookRoutes(ctx));

  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  if (options.serveWeb !== false && existsSync(webDistDir)) {
    await app.register(fastifyStatic, { root: webDistDir, wildcard: false });
    // Client-side routes of the demo host app all load the same page.
    app.get('/*', { config: { public: true }, schema: { hide: true } }, (request, reply) => {
      if (request.url.startsWith('/api/')) return reply.callNotFound();
      return reply.sendFile('index.html');
    });
  }
  return Object.assign(app, { metrics });
}
