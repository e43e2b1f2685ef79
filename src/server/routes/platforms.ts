import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { connectorModules } from '../../crm/modules.js';
import { redirectUri } from '../../crm/oauth-flow.js';
import { platformIds, platforms } from '../../crm/platforms.js';
import type { AppContext } from '../../app-context.js';
import { platformListSchema, type PlatformDto } from '../schemas.js';

/** The wizard's first step: the four CRMs from the registry, with what this server can do for each. */
export function platformRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/platforms', {
      schema: {
        operationId: 'listPlatforms', summary: 'List the CRMs you can connect', tags: ['platforms'],
        response: { 200: platformListSchema },
      },
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
          loginHosts: spec.loginHosts ? {
            options: spec.loginHosts.options.map(({ id, label, origin }) => ({ id, label, host: new URL(origin).host })),
            custom: spec.loginHosts.custom ? { id: spec.loginHosts.custom.id, label: spec.loginHosts.custom.label, placeholder: spec.loginHosts.custom.placeholder } : null,
          } : null,
          realtimeSetup: realtimeSetupOf(id),
        };
      }),
    }));
  };
}

/** How a CRM comes to push changes, from what its module implements. */
function realtimeSetupOf(id: PlatformDto['id']): PlatformDto['realtimeSetup'] {
  const module = connectorModules[id];
  if (!module?.webhooks) return 'none';
  return module.subscriptions?.manual ? 'manual' : 'automatic';
}
