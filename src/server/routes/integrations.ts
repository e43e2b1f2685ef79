import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { disconnectIntegration } from '../../crm/disconnect.js';
import { integrationsRepository } from '../../db/integrations-repository.js';
import { syncLogsRepository } from '../../db/sync-logs-repository.js';
import { AppError, notFound } from '../../lib/errors.js';
import type { AppContext } from '../../app-context.js';
import { errorBodySchema, idParams, integrationListSchema, integrationPatchSchema, integrationSchema, pageQuery, syncLogPageSchema } from '../schemas.js';
import { asCaller } from '../tenant-request.js';

/**
 * The caller's integrations. Another user's integration is simply "not found": RLS hides it, so
 * the answer is the same whether it exists or not.
 */
export function integrationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const errors = { 400: errorBodySchema, 404: errorBodySchema };

    app.get('/api/integrations', {
      schema: {
        operationId: 'listIntegrations', summary: 'List your integrations', tags: ['integrations'],
        response: { 200: integrationListSchema },
      },
    }, async (request) => ({
      integrations: await asCaller(ctx, request, (tx) => integrationsRepository(tx, ctx.keys).list()),
    }));

    app.get('/api/integrations/:id', {
      schema: {
        operationId: 'getIntegration', summary: 'Get one integration', tags: ['integrations'],
        params: idParams, response: { 200: integrationSchema, ...errors },
      },
    }, async (request) => {
      const found = await asCaller(ctx, request, (tx) => integrationsRepository(tx, ctx.keys).find(request.params.id));
      if (!found) throw notFound('Integration');
      return found;
    });

    app.patch('/api/integrations/:id', {
      schema: {
        operationId: 'updateIntegration', summary: 'Rename an integration, pause its sync or change its interval', tags: ['integrations'],
        params: idParams, body: integrationPatchSchema, response: { 200: integrationSchema, ...errors },
      },
    }, async (request) => {
      const { settings, ...changes } = request.body;
      if (Object.keys(request.body).length === 0) {
        throw new AppError('validation_failed', 'Nothing to change: send at least one of displayName, syncEnabled, isActive, settings.');
      }
      const updated = await asCaller(ctx, request, (tx) => integrationsRepository(tx, ctx.keys).update(request.params.id, { ...changes, settings }));
      if (!updated) throw notFound('Integration');
      await ctx.events?.publish(request.caller.userId, { type: 'integration.updated', integrationId: updated.id });
      return updated;
    });

    app.delete('/api/integrations/:id', {
      schema: {
        operationId: 'deleteIntegration', summary: 'Disconnect an integration and delete its synced data', tags: ['integrations'],
        params: idParams, response: { 204: z.null().describe('Disconnected; its records and logs are gone.'), ...errors },
      },
    }, async (request, reply) => {
      const removed = await disconnectIntegration(ctx, request.caller.userId, request.params.id);
      if (!removed) throw notFound('Integration');
      return reply.status(204).send(null);
    });

    app.get('/api/integrations/:id/sync-logs', {
      schema: {
        operationId: 'listSyncLogs', summary: 'List an integration\'s sync runs, newest first', tags: ['sync'],
        params: idParams,
        querystring: pageQuery,
        response: { 200: syncLogPageSchema, ...errors },
      },
    }, async (request) => {
      const { id } = request.params;
      const { limit, cursor } = request.query;
      const page = await asCaller(ctx, request, async (tx) => {
        if (!(await integrationsRepository(tx, ctx.keys).find(id))) throw notFound('Integration');
        return syncLogsRepository(tx).page(id, limit, cursor);
      });
      if (!page) throw new AppError('validation_failed', 'The cursor is not one this API returned; start again without it.');
      return page;
    });
  };
}
