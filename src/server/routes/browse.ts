import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { objectTypes, type ObjectType } from '../../crm/platforms.js';
import { recordRows } from '../../db/record-rows.js';
import { browseSorts, syncedRecordsRepository } from '../../db/synced-records-repository.js';
import type { AppContext } from '../../app-context.js';
import { browsePageSchemas, errorBodySchema } from '../schemas.js';
import { capitalized } from './records.js';
import { asCaller } from '../tenant-request.js';

/**
 * Synced records as a person browses them (the data page): searched, sorted, numbered pages with a
 * total, and the CRM's labels for coded values (crm_field_options). Offset paging is fine at the
 * depths a person pages to; integrations that read everything use the keyset-paged /api/<object>.
 * What each sort and search means in SQL lives with the statement, in syncedRecordsRepository.browse;
 * this route validates the query (sort keys included) and shapes the rows.
 */

const query = z.strictObject({
  integrationId: z.uuid().optional(),
  q: z.string().trim().max(200).optional(),
  sort: z.string().max(40).optional(),
  order: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});

export function browseRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    for (const object of objectTypes) registerBrowse(app, ctx, object);
  };
}

function registerBrowse(app: Parameters<FastifyPluginAsyncZod>[0], ctx: AppContext, object: ObjectType) {
  const { toItem } = recordRows(object);
  app.get(`/api/${object}/browse`, {
    schema: {
      operationId: `browse${capitalized(object)}`,
      summary: `Search, sort and page synced ${object} with their CRM labels`,
      tags: ['data'],
      querystring: query.extend({ sort: z.enum(browseSorts(object)).optional() }),
      response: { 200: browsePageSchemas[object], 400: errorBodySchema },
    },
  }, async (request) => {
    const { integrationId, q, sort, order, page, pageSize } = request.query;
    const { rows, total } = await asCaller(ctx, request, (tx) => syncedRecordsRepository(tx).browse(object, {
      integrationId, q, sort, order, page, pageSize,
    }));
    return {
      items: rows.map((row) => ({ ...toItem(row), labels: row.labels })) as never[],
      total,
      page,
      pageSize,
    };
  });
}
