import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { manualWebhookStep } from '../../crm/webhook-subscriptions.js';
import { integrationsRepository } from '../../db/integrations-repository.js';
import { AppError, notFound } from '../../lib/errors.js';
import type { AppContext } from '../../app-context.js';
import { errorBodySchema, idParams, realtimeSetupSchema } from '../schemas.js';
import { asCaller } from '../tenant-request.js';

/**
 * The set-up step for CRMs that no app can subscribe to changes (platform `realtimeSetup: manual`):
 * what to do in the CRM, and the address to paste, which holds the connection's secret. Only the
 * integration's owner reads it (row-level security), it is never cached, and the address is made on
 * first asking when the connect did not make one.
 */
export function realtimeSetupRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/integrations/:id/realtime-setup', {
      schema: {
        operationId: 'getRealtimeSetup', summary: 'What to set up in the CRM for it to push changes', tags: ['integrations'],
        params: idParams, response: { 200: realtimeSetupSchema, 400: errorBodySchema, 404: errorBodySchema },
      },
    }, async (request, reply) => {
      const integration = await asCaller(ctx, request, (tx) => integrationsRepository(tx, ctx.keys).find(request.params.id));
      if (!integration) throw notFound('Integration');
      const step = await manualWebhookStep(ctx, integration);
      if (!step) throw new AppError('not_found', 'This CRM\'s real-time updates need no set-up step: Pulse subscribes by itself, or the CRM pushes nothing.');
      void reply.header('cache-control', 'no-store');
      return { name: step.name, objects: step.objects, steps: step.steps, url: step.url, reason: step.reason ?? null };
    });
  };
}
