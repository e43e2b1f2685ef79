import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { completeOAuth, startOAuth } from '../../crm/oauth-flow.js';
import { platformIds } from '../../crm/platforms.js';
import type { AppContext } from '../context.js';
import { renderOAuthResult } from '../oauth-result-page.js';
import { errorBodySchema } from '../schemas.js';

/** Connect: start (authenticated API) and the provider's redirect back (a public page). */
export function oauthRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/integrations/oauth/start', {
      schema: {
        tags: ['connect'],
        body: z.strictObject({
          platform: z.enum(platformIds, { error: `platform must be one of ${platformIds.join(', ')}` }),
          scopes: z.array(z.string().max(200)).max(50).optional(),
          integrationId: z.uuid().optional(),
          returnTo: z.string().regex(/^\/(?!\/)[^\s]*$/, 'returnTo must be a path on this site, like /settings').max(500).optional(),
        }),
        response: { 200: z.object({ authorizeUrl: z.string(), expiresAt: z.string() }), 400: errorBodySchema, 404: errorBodySchema, 422: errorBodySchema, 503: errorBodySchema },
      },
    }, async (request) => startOAuth(ctx, request.caller.userId, request.body));

    app.get('/crm/oauth/callback', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
      const outcome = await completeOAuth(ctx, new URL(request.url, ctx.config.publicUrl));
      if (!outcome.ok) request.log.info({ reason: outcome.reason }, 'oauth callback refused');
      // The first sync starts right away, so the wizard's last step can show it running.
      if (outcome.ok && ctx.sync) {
        await ctx.sync.request({ userId: outcome.integration.userId, integrationId: outcome.integration.id })
          .catch((error) => request.log.warn({ err: error }, 'first sync not started'));
      }
      return reply
        .status(outcome.ok ? 200 : 400)
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .type('text/html; charset=utf-8')
        .send(renderOAuthResult(outcome));
    });
  };
}
