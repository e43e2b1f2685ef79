import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { redirectUri } from '../../crm/oauth-flow.js';
import { platformIds, platforms } from '../../crm/platforms.js';
import type { AppContext } from '../../app-context.js';
import { platformSchema, type PlatformDto } from '../schemas.js';

/** The wizard's first step: the four CRMs from the registry, with what this server can do for each. */
export function platformRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/platforms', {
      schema: { tags: ['platforms'], response: { 200: z.object({ platforms: z.array(platformSchema) }) } },
    }, async () => ({
      platforms: platformIds.map((id): PlatformDto => {
        const spec = platforms[id];
        return {
          id,
          name: spec.name,
          color: spec.color,
          objects: spec.objects,
          features: [...spec.features],
          tiers: spec.tiers.map((tier) => ({ name: tier.name, limits: [...tier.limits] })),
          scopes: spec.scopes.map(({ name, description, required }) => ({ name, description, required })),
          setupSteps: [...spec.setupSteps],
          docsUrl: spec.docsUrl,
          available: spec.available,
          credentials: ctx.endpoints(id).mode,
          redirectUrl: redirectUri(ctx),
        };
      }),
    }));
  };
}
