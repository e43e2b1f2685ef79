import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { testConnection } from '../../crm/connection-test.js';
import { integrationsRepository } from '../../db/integrations-repository.js';
import { notFound } from '../../lib/errors.js';
import type { AppContext } from '../../app-context.js';
import { connectionTestSchema, errorBodySchema, idParams } from '../schemas.js';
import { asCaller } from '../tenant-request.js';

/**
 * The wizard's third step: live checks against the provider. The verdict is kept on the integration
 * (a failure shows as "Needs attention" wherever the integration is listed, until a test passes).
 */
export function connectionRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/integrations/:id/test', {
      schema: {
        operationId: 'testConnection', summary: 'Check an integration\'s connection against the CRM', tags: ['connect'],
        params: idParams, response: { 200: connectionTestSchema, 400: errorBodySchema, 404: errorBodySchema },
      },
    }, async (request) => {
      const integration = await asCaller(ctx, request, (tx) => integrationsRepository(tx, ctx.keys).find(request.params.id));
      if (!integration) throw notFound('Integration');
      // The test judges the grant as stored now: a reconnect a moment ago may have replaced the token
      // this process still remembers, and the old one lacks the permissions just granted.
      ctx.services.tokens.forget(integration.id);
      const { checks, problem } = await testConnection(ctx, integration);
      await asCaller(ctx, request, (tx) => integrationsRepository(tx, ctx.keys)
        .recordConnectionCheck(integration.id, problem && { ...problem, checkedAt: new Date().toISOString() }));
      await ctx.events?.publish(integration.userId, { type: 'integration.updated', integrationId: integration.id });
      return { checks, ok: problem === null, problem };
    });
  };
}
