import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { objectTypes, type ObjectType } from '../../crm/platforms.js';
import { decodeCursor, encodeCursor, timestampText } from '../../db/keyset-cursor.js';
import { recordTables } from '../../sync/record-tables.js';
import type { AppContext } from '../../app-context.js';
import { cursorParam, errorBodySchema, instantParam, recordSchemas } from '../schemas.js';
import { recordRows } from '../record-rows.js';
import { asCaller } from '../tenant-request.js';

/**
 * Synced data for the host app: /api/contacts, /api/companies, /api/deals, filtered by integration
 * and "updated since", keyset-paged on (updated_at, id) so paging stays fast and stable at any depth.
 * Deleted records are included (with deletedAt) so a consumer polling for changes sees deletions.
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
  const spec = recordTables[object];
  const { columns, toItem } = recordRows(object);
  app.get(`/api/${object}`, {
    schema: {
      tags: ['data'],
      querystring: query,
      response: { 200: z.object({ items: z.array(recordSchemas[object]), nextCursor: z.string().nullable() }), 400: errorBodySchema },
    },
  }, async (request) => {
    const { integrationId, updatedSince, includeDeleted, limit, cursor } = request.query;
    // Checked by the schema: a cursor that reaches here decodes.
    const after = cursor ? decodeCursor(cursor) : null;
    const { rows } = await asCaller(ctx, request, (tx) => tx.query(
      `SELECT ${columns.join(', ')}, ${timestampText('updated_at')} AS cursor_at FROM ${spec.table}
       WHERE ($1::uuid IS NULL OR integration_id = $1) AND ($2::timestamptz IS NULL OR updated_at >= $2)
         AND ($3 OR deleted_at IS NULL)
         AND ($4::timestamptz IS NULL OR (updated_at, id) > ($4::timestamptz, $5::uuid))
       ORDER BY updated_at, id LIMIT $6`,
      [integrationId ?? null, updatedSince ?? null, includeDeleted === 'true', after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    ));
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      // Rows are shaped like the response schema by construction (columns from record-tables); the
      // serializer validates them against it on the way out.
      items: page.map(toItem) as never[],
      nextCursor: rows.length > limit && last ? encodeCursor(last.cursor_at, last.id) : null,
    };
  });
}
