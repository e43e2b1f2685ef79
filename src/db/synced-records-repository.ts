import { objectTypes, type ObjectType } from '../crm/platforms.js';
import { recordTables } from '../sync/record-tables.js';
import { decodeCursor, encodeCursor, timestampText } from './keyset-cursor.js';
import { recordRows } from './record-rows.js';
import type { Tx } from './tenant.js';

/**
 * Reading the synced records (crm_contacts, crm_companies, crm_deals) for the API, as the caller:
 * RLS limits every statement to the user's rows, so none of these filters on user_id. The sync
 * engine writes them through src/sync/records-repository.ts; this is the read side the routes use.
 *
 * Rows come back as the database has them (snake_case, Dates); the routes shape them for the
 * response with src/db/record-rows.ts, whose column list is the one selected here.
 */
export type RecordRow = Record<string, any>;

export interface PageFilter {
  integrationId?: string;
  /** ISO 8601; rows updated at or after it. */
  updatedSince?: string;
  includeDeleted: boolean;
  limit: number;
  /** A cursor a previous page returned (the route has checked that it decodes). */
  cursor?: string;
}

export interface BrowseQuery {
  integrationId?: string;
  q?: string;
  /** One of `browseSorts(object)`; absent: most recently updated first. */
  sort?: string;
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

export interface RecordCounts {
  contacts: number;
  companies: number;
  deals: number;
}

/**
 * How a person browses an object: the SQL each sort key orders by, where a search looks, and which
 * fields have CRM labels. SQL fragments, hence here and not in the route: the route only sees the
 * sort keys (`browseSorts`) to validate `?sort=`.
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

const browseSpecs: Record<ObjectType, BrowseSpec> = {
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

/** The sort keys `browse` accepts for an object, for the route's schema. */
export function browseSorts(object: ObjectType): [string, ...string[]] {
  return Object.keys(browseSpecs[object].sorts) as [string, ...string[]];
}

/**
 * The per-object SQL, built once at load (the routes built the text per request): the statements
 * differ by object only, never by caller; only browse's ORDER BY depends on the request.
 */
function pageSql(object: ObjectType): string {
  const spec = recordTables[object];
  const { columns } = recordRows(object);
  return `SELECT ${columns.join(', ')}, ${timestampText('updated_at')} AS cursor_at FROM ${spec.table}
       WHERE ($1::uuid IS NULL OR integration_id = $1) AND ($2::timestamptz IS NULL OR updated_at >= $2)
         AND ($3 OR deleted_at IS NULL)
         AND ($4::timestamptz IS NULL OR (updated_at, id) > ($4::timestamptz, $5::uuid))
       ORDER BY updated_at, id LIMIT $6`;
}

/** The browse statement up to its ORDER BY, which depends on the request's sort. */
function browseSql(object: ObjectType): { select: string; limit: string } {
  const table = recordTables[object];
  const spec = browseSpecs[object];
  const { columns } = recordRows(object);
  const columnOf = (field: string) => table.fields.find(([, f]) => f === field)![0];
  const labels = spec.labelled.map((field) => `'${field}', (SELECT f.label FROM crm_field_options f WHERE f.integration_id = r.integration_id
      AND f.object = '${object}' AND f.field = '${field}' AND f.value = r.${columnOf(field)})`);
  return {
    select: `SELECT ${columns.map((c) => `r.${c}`).join(', ')},
         ${labels.length ? `jsonb_strip_nulls(jsonb_build_object(${labels.join(', ')}))` : `'{}'::jsonb`} AS labels,
         count(*) OVER () AS total
       FROM ${table.table} r
       WHERE r.deleted_at IS NULL AND ($1::uuid IS NULL OR r.integration_id = $1)
         AND ($2::text IS NULL OR ${spec.search.map((c) => `r.${c} ILIKE $2`).join(' OR ')}
              ${object === 'contacts' ? `OR (coalesce(r.first_name, '') || ' ' || coalesce(r.last_name, '')) ILIKE $2` : ''})
       ORDER BY `,
    limit: `, r.id
       LIMIT $3 OFFSET $4`,
  };
}

const pageSqls = Object.fromEntries(objectTypes.map((object) => [object, pageSql(object)])) as Record<ObjectType, string>;
const browseSqls = Object.fromEntries(objectTypes.map((object) => [object, browseSql(object)])) as Record<ObjectType, { select: string; limit: string }>;
const countsSql = `SELECT ${objectTypes.map((object) => `(SELECT count(*)::int FROM ${recordTables[object].table}
            WHERE deleted_at IS NULL AND ($1::uuid IS NULL OR integration_id = $1)) AS ${object}`).join(', ')}`;

export function syncedRecordsRepository(tx: Tx) {
  return {
    /**
     * Keyset-paged on (updated_at, id), deleted rows included unless asked otherwise (a consumer
     * polling for changes must see deletions). One row more than `limit` is read to know whether a
     * next page exists; the cursor keeps PostgreSQL's microseconds (see keyset-cursor.ts).
     */
    async page(object: ObjectType, filter: PageFilter): Promise<{ rows: RecordRow[]; nextCursor: string | null }> {
      const { integrationId, updatedSince, includeDeleted, limit, cursor } = filter;
      const after = cursor ? decodeCursor(cursor) : null;
      const { rows } = await tx.query(
        pageSqls[object],
        [integrationId ?? null, updatedSince ?? null, includeDeleted, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
      );
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor(last.cursor_at, last.id) : null };
    },

    /**
     * A numbered page of live records with the total and each row's CRM labels (`labels`, a
     * field → label object). `q` matches as a substring, case-insensitively, with LIKE's wildcards
     * taken literally. Offset paging: fine at the depths a person pages to.
     */
    async browse(object: ObjectType, query: BrowseQuery): Promise<{ rows: RecordRow[]; total: number }> {
      const { integrationId, q, sort, order, page, pageSize } = query;
      const spec = browseSpecs[object];
      const sql = browseSqls[object];
      const pattern = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
      // Empty values last whichever the direction: a person sorting by amount wants amounts first.
      const orderBy = sort ? spec.sorts[sort]!.map((part) => `${part} ${order} NULLS LAST`).join(', ') : 'r.updated_at desc';
      const { rows } = await tx.query(
        `${sql.select}${orderBy}${sql.limit}`,
        [integrationId ?? null, pattern, pageSize, (page - 1) * pageSize],
      );
      return { rows, total: rows.length > 0 ? Number(rows[0].total) : 0 };
    },

    /** Live (not deleted) records per object, for one integration or all the caller's. */
    async counts(integrationId: string | null): Promise<RecordCounts> {
      const { rows } = await tx.query(countsSql, [integrationId]);
      return rows[0];
    },
  };
}
