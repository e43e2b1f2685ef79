import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { objectTypes, type ObjectType } from '../../crm/platforms.js';
import { recordRows } from '../../db/record-rows.js';
import { syncedRecordsRepository } from '../../db/synced-records-repository.js';
import type { AppContext } from '../../app-context.js';
import { cursorParam, errorBodySchema, instantParam, recordPageSchemas } from '../schemas.js';
import { asCaller } from '../tenant-request.js';

/**
 * Synced data for the host app: /api/contacts, /api/companies, /api/deals, filtered by integration
 * and "updated since", keyset-paged on (updated_at, id) so paging stays fast and stable at any depth.
 * Deleted records are included (with deletedAt) so a consumer polling for changes sees deletions.
 * The statement is syncedRecordsRepository.page; this route validates the query and shapes the rows.
 */

const query = z.strictObject({
  integrationId: z.uuid().optional(),
  updatedSince: instantParam('updatedSince').optional(),
  includeDeleted: z.enum(['true', 'false']).default('true'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: cursorParam.optional(),
});

export function recordRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    for (const object of objectTypes) registerList(app, ctx, object);
  };
}

function registerList(app: Parameters<FastifyPluginAsyncZod>[0], ctx: AppContext, object: ObjectType) {
  const { toItem } = recordRows(object);
  app.get(`/api/${object}`, {
    schema: {
      operationId: `list${capitalized(object)}`,
      summary: `List synced ${object}, oldest change first, for polling`,
      tags: ['data'],
      querystring: query,
      response: { 200: recordPageSchemas[object], 400: errorBodySchema },
    },
  }, async (request) => {
    const { integrationId, updatedSince, includeDeleted, limit, cursor } = request.query;
    // Checked by the schema: a cursor that reaches here decodes.
    const { rows, nextCursor } = await asCaller(ctx, request, (tx) => syncedRecordsRepository(tx).page(object, {
      integrationId, updatedSince, includeDeleted: includeDeleted === 'true', limit, cursor,
    }));
    return {
      // Rows are shaped like the response schema by construction (columns from record-tables); the
      // serializer validates them against it on the way out.
      items: rows.map(toItem) as never[],
      nextCursor,
    };
  });
}

export const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
