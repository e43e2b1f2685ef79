import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import type { AppContext } from '../../app-context.js';
import { errorBodySchema, idParams, syncStartedSchema } from '../schemas.js';

/** "Sync now": 202 with the run's log id; joining the run already going if there is one. */
export function syncRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/integrations/:id/sync', {
      schema: {
        operationId: 'startSync', summary: 'Start a sync now (or join the one running)', tags: ['sync'],
        params: idParams,
        body: z.strictObject({ full: z.boolean().optional() }).optional(),
        response: { 202: syncStartedSchema, 400: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 503: errorBodySchema },
      },
    }, async (request, reply) => {
      if (!ctx.sync) throw new AppError('not_ready', 'This server runs no job queue; start it with "pulse-crm start" or "pulse-crm server".');
      const result = await ctx.sync.request({ userId: request.caller.userId, integrationId: request.params.id, full: request.body?.full, byPerson: true });
      return reply.status(202).send(result);
    });
  };
}
