import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { testConnection } from '../../crm/connection-test.js';
import { integrationsRepository } from '../../db/integrations-repository.js';
import { notFound } from '../../lib/errors.js';
import type { AppContext } from '../context.js';
import { connectionCheckSchema, errorBodySchema, idParams } from '../schemas.js';
import { asCaller } from '../tenant-request.js';

/** The wizard's third step: live checks against the provider. */
export function connectionRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/integrations/:id/test', {
      schema: { tags: ['connect'], params: idParams, response: { 200: z.object({ checks: z.array(connectionCheckSchema), ok: z.boolean() }), 400: errorBodySchema, 404: errorBodySchema } },
    }, async (request) => {
      const integration = await asCaller(ctx, request, (tx) => integrationsRepository(tx, ctx.keys).find(request.params.id));
      if (!integration) throw notFound('Integration');
      const checks = await testConnection(ctx, integration);
      return { checks, ok: checks.every((check) => check.status !== 'fail') };
    });
  };
}
