import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { syncedRecordsRepository } from '../../db/synced-records-repository.js';
import type { AppContext } from '../../app-context.js';
import { errorBodySchema, recordCountsSchema } from '../schemas.js';
import { asCaller } from '../tenant-request.js';

/**
 * How many synced records (not deleted) the caller holds per object, for one integration or all:
 * the totals on the data page, and what a Disconnect will remove, said before it happens.
 */
export function recordCountRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/record-counts', {
      schema: {
        operationId: 'countRecords', summary: 'Count synced records per object', tags: ['data'],
        querystring: z.strictObject({ integrationId: z.uuid().optional() }), response: { 200: recordCountsSchema, 400: errorBodySchema },
      },
    }, async (request) => {
      const integrationId = request.query.integrationId ?? null;
      return asCaller(ctx, request, (tx) => syncedRecordsRepository(tx).counts(integrationId));
    });
  };
}
