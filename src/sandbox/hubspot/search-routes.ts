/**
 * `POST /crm/v3/objects/{type}/search`: limit ≤ 200, `after` as a numeric offset, at most 10,000
 * results reachable per query (asking past it is a 400), its own per-second rate limit and no
 * rate-limit headers. https://developers.hubspot.com/docs/api/crm/search
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HubspotContext } from './context.js';
import { validation } from './errors.js';
import { objectScopes, typeOf } from './objects-routes.js';
import { OBJECTS } from './objects.js';
import { hash32, stringKey } from '../core/random.js';
import { runSearch } from './search.js';
import { laggingVersions, laggingView } from './search-lag.js';
import { searchSettings } from './search-settings.js';
import { checkFilterGroups, type Filter } from './search-filters.js';
import { serializeRecord } from './serialize.js';
import { propertyDef } from './properties.js';

const SEARCH_MAX = 200;
const RESULT_CAP = 10_000;

type Sort = string | { propertyName?: string; direction?: string };
type Body = { filterGroups?: { filters?: Filter[] }[]; sorts?: Sort[]; query?: string; properties?: string[]; limit?: number; after?: string | number };

/** Sorts come as `[{propertyName, direction}]` or, as the SDK types them, strings ("-name" = descending). */
function parseSort(sort: Sort | undefined): { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' } | undefined {
  if (sort === undefined) return undefined;
  if (typeof sort === 'string') {
    if (sort.trim().startsWith('{')) return parseSort(JSON.parse(sort) as Sort);
    return sort.startsWith('-') ? { propertyName: sort.slice(1), direction: 'DESCENDING' } : { propertyName: sort, direction: 'ASCENDING' };
  }
  return { propertyName: sort.propertyName ?? '', direction: sort.direction === 'DESCENDING' ? 'DESCENDING' : 'ASCENDING' };
}

export function registerSearchRoutes(app: FastifyInstance, ctx: HubspotContext): void {
  app.post('/crm/v3/objects/:type/search', { config: { sandbox: { kind: 'search', scopes: objectScopes('read'), limit: 'search' } } }, async (req: FastifyRequest<{ Params: { type: string }; Body: Body }>, reply) => {
    const type = typeOf(req, reply);
    if (!type) return reply;
    const body = req.body ?? {};
    const limit = body.limit ?? 10;
    if (!Number.isInteger(limit) || limit < 0 || limit > SEARCH_MAX) return validation(req, reply, `limit must be between 0 and ${SEARCH_MAX}, got ${String(limit)}`);
    const offset = body.after === undefined || body.after === '' ? 0 : Number(body.after);
    if (!Number.isInteger(offset) || offset < 0) return validation(req, reply, `Invalid after: ${String(body.after)}`);
    if (offset >= RESULT_CAP) return validation(req, reply, `The search API can return at most ${RESULT_CAP} results for a query; "after" ${offset} is past that limit. Narrow the query instead of paging further.`);
    if (typeof body.query === 'string' && body.query.length > 3000) return validation(req, reply, 'query must be at most 3000 characters');
    const groups = (body.filterGroups ?? []).map((g) => ({ filters: g.filters ?? [] }));
    const problem = checkFilterGroups(type, groups);
    if (problem) return validation(req, reply, problem);
    let sort;
    try {
      sort = parseSort(body.sorts?.[0]);
    } catch {
      return validation(req, reply, `Invalid sort: ${String(body.sorts?.[0])}`);
    }
    if (sort && !propertyDef(type, sort.propertyName)) return validation(req, reply, `Property "${sort.propertyName}" does not exist on ${OBJECTS[type].singular}`);

    const coll = req.sandbox.account.data.collections.get(type)!;
    const capped = Math.min(limit, RESULT_CAP - offset);
    const settings = searchSettings(ctx);
    const lagging = laggingVersions(ctx, req.sandbox.account, type);
    // One tie order per query (not per page): the seed covers everything but `after` and `limit`.
    const tieSeed = settings.shuffleTies && sort && sort.propertyName !== 'hs_object_id' ? hash32(ctx.store.seed, stringKey(JSON.stringify([type, groups, sort ?? null, body.query ?? '']))) : undefined;
    const mode = { source: lagging.size ? laggingView(coll, lagging) : undefined, tieSeed };
    const { total, slots } = runSearch(type, coll, { groups, sort, query: body.query, queryProperties: OBJECTS[type].queryProperties, offset, limit: capped }, mode);
    const results = slots.map((s) => serializeRecord(type, req.sandbox.account.data, s, { properties: body.properties, version: lagging.get(s) ?? undefined }));
    const out: Record<string, unknown> = { total, results };
    if (offset + slots.length < total && slots.length > 0) out.paging = { next: { after: String(offset + slots.length) } };
    return out;
  });
}
