import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { objectTypes, type ObjectType } from '../../crm/platforms.js';
import { recordTables } from '../../sync/record-tables.js';
import type { AppContext } from '../../app-context.js';
import { errorBodySchema, recordSchemas } from '../schemas.js';
import { recordRows } from '../record-rows.js';
import { asCaller } from '../tenant-request.js';

/**
 * Synced records as a person browses them (the data page): searched, sorted, numbered pages with a
 * total, and the CRM's labels for coded values (crm_field_options). Offset paging is fine at the
 * depths a person pages to; integrations that read everything use the keyset-paged /api/<object>.
 */

interface BrowseSpec {
  /** Sort keys → SQL (on alias r); a labelled field sorts in the CRM's own order (a pipeline's stages). */
  sorts: Record<string, string[]>;
  /** Text columns a search looks in. */
  search: string[];
  /** Canonical fields whose coded values have CRM labels. */
  labelled: string[];
}

const lower = (column: string) => `lower(coalesce(r.${column}, ''))`;
const optionOrder = (object: ObjectType, field: string, column: string) => [
  `(SELECT f.display_order FROM crm_field_options f WHERE f.integration_id = r.integration_id AND f.object = '${object}' AND f.field = '${field}' AND f.value = r.${column})`,
  `r.${column}`,
];

const specs: Record<ObjectType, BrowseSpec> = {
  contacts: {
    sorts: { name: [lower('last_name'), lower('first_name')], email: [lower('email')], phone: ['r.phone'], jobTitle: [lower('job_title')] },
    search: ['first_name', 'last_name', 'email', 'job_title', 'phone'],
    labelled: [],
  },
  companies: {
    sorts: { name: [lower('name')], domain: [lower('domain')], industry: optionOrder('companies', 'industry', 'industry'), location: [lower('country'), lower('city')] },
    search: ['name', 'domain', 'city', 'country'],
    labelled: ['industry'],
  },
  deals: {
    sorts: { name: [lower('name')], amount: ['r.amount'], stage: optionOrder('deals', 'stage', 'stage'), closeDate: ['r.close_date'] },
    search: ['name'],
    labelled: ['stage', 'pipeline'],
  },
};

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
  const table = recordTables[object];
  const spec = specs[object];
  const { columns, toItem } = recordRows(object);
  const columnOf = (field: string) => table.fields.find(([, f]) => f === field)![0];
  const labels = spec.labelled.map((field) => `'${field}', (SELECT f.label FROM crm_field_options f WHERE f.integration_id = r.integration_id
      AND f.object = '${object}' AND f.field = '${field}' AND f.value = r.${columnOf(field)})`);
  const item = recordSchemas[object].extend({ labels: z.record(z.string(), z.string()) });

  app.get(`/api/${object}/browse`, {
    schema: {
      tags: ['data'],
      querystring: query.extend({ sort: z.enum(Object.keys(spec.sorts) as [string, ...string[]]).optional() }),
      response: { 200: z.object({ items: z.array(item), total: z.number(), page: z.number(), pageSize: z.number() }), 400: errorBodySchema },
    },
  }, async (request) => {
    const { integrationId, q, sort, order, page, pageSize } = request.query;
    const pattern = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    // Empty values last whichever the direction: a person sorting by amount wants amounts first.
    const orderBy = sort ? spec.sorts[sort]!.map((part) => `${part} ${order} NULLS LAST`).join(', ') : 'r.updated_at desc';
    const { rows } = await asCaller(ctx, request, (tx) => tx.query(
      `SELECT ${columns.map((c) => `r.${c}`).join(', ')},
         ${labels.length ? `jsonb_strip_nulls(jsonb_build_object(${labels.join(', ')}))` : `'{}'::jsonb`} AS labels,
         count(*) OVER () AS total
       FROM ${table.table} r
       WHERE r.deleted_at IS NULL AND ($1::uuid IS NULL OR r.integration_id = $1)
         AND ($2::text IS NULL OR ${spec.search.map((c) => `r.${c} ILIKE $2`).join(' OR ')}
              ${object === 'contacts' ? `OR (coalesce(r.first_name, '') || ' ' || coalesce(r.last_name, '')) ILIKE $2` : ''})
       ORDER BY ${orderBy}, r.id
       LIMIT $3 OFFSET $4`,
      [integrationId ?? null, pattern, pageSize, (page - 1) * pageSize],
    ));
    return {
      items: rows.map((row) => ({ ...toItem(row), labels: row.labels })) as never[],
      total: rows.length > 0 ? Number(rows[0].total) : 0,
      page,
      pageSize,
    };
  });
}
