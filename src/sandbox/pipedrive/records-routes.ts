/**
 * API v2 for persons, organizations and deals: list (cursor paging, `updated_since`, `sort_by`,
 * filters; deals also `status`, with `deleted` listing deals deleted in the last 30 days), archived
 * deals apart, get, create, patch, soft delete, search.
 * https://developers.pipedrive.com/docs/api/v1/Deals#getDeals (v2)
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxAccount } from '../core/store.js';
import type { PipedriveContext } from './context.js';
import { badRequest, notFound, sendError } from './errors.js';
import { laggingSlots } from './lag.js';
import { decodeCursor, DEFAULT_LIMIT, encodeCursor, MAX_LIMIT, pageOf, type SortBy } from './listing.js';
import { OBJECTS, OBJECT_TYPES, type ObjectType } from './objects.js';
import { collectionOf, linkedId, parseWrite, serialize } from './serialize.js';
import { createRecord, deleteRecord, isPurged, mergeRecords, updateRecord } from './writes.js';

type Query = Record<string, string | undefined>;

/**
 * A list answer takes this long per record it carries (real time): by default a 500-record page
 * 100 ms. Pipedrive documents no latency; the point is that a page of 500 is not free, so page size
 * shows in wall time and a sync of a few pages lasts long enough to be interrupted (the crash tests
 * also hold every answer with the `hang` fault). It was 2 ms (1 s a page), which made list pages most
 * of the suite's time. `startSandbox({ latency: { listMsPerRecord } })` sets it at start (the bench
 * may want real-world figures), `PUT /_sandbox/settings { listLatencyMsPerRecord }` at any time.
 */
export const DEFAULT_LIST_LATENCY_MS_PER_RECORD = 0.2;

const readScopes = (type: ObjectType) => () => (type === 'deals' ? ['deals:read', 'deals:full'] : ['contacts:read', 'contacts:full']);
const writeScopes = (type: ObjectType) => () => (type === 'deals' ? ['deals:full'] : ['contacts:full']);

/** Fields `include_fields` may add, per object (not sent unless asked for). */
const OPTIONAL_FIELDS: Record<ObjectType, Record<string, unknown>> = {
  contacts: { next_activity_id: null, last_activity_id: null, open_deals_count: 0, closed_deals_count: 0, email_messages_count: 0, notes_count: 0 },
  companies: { next_activity_id: null, last_activity_id: null, open_deals_count: 0, people_count: 0, notes_count: 0 },
  deals: { next_activity_id: null, last_activity_id: null, first_won_time: null, products_count: 0, notes_count: 0, participants_count: 0 },
};
const FILTERS: Record<ObjectType, string[]> = {
  contacts: ['owner_id', 'org_id', 'deal_id'],
  companies: ['owner_id'],
  deals: ['owner_id', 'person_id', 'org_id', 'pipeline_id', 'stage_id'],
};
const KNOWN_PARAMS = ['cursor', 'limit', 'include_option_labels', 'include_labels', 'sort_by', 'sort_direction', 'updated_since', 'updated_until', 'include_fields', 'custom_fields', 'ids', 'filter_id', 'status'];

const rfcTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

interface Shape { include: string[]; custom: string[] | null }

function shaped(record: Record<string, unknown>, type: ObjectType, shape: Shape): Record<string, unknown> {
  const out: Record<string, unknown> = { ...record };
  for (const field of shape.include) out[field] = OPTIONAL_FIELDS[type][field];
  if (shape.custom) out.custom_fields = Object.fromEntries(Object.entries(record.custom_fields as Record<string, unknown>).filter(([k]) => shape.custom!.includes(k)));
  return out;
}

function shapeOf(type: ObjectType, q: Query): Shape | string {
  const include = (q.include_fields ?? '').split(',').filter(Boolean);
  const unknown = include.find((f) => !(f in OPTIONAL_FIELDS[type]));
  if (unknown) return `Invalid include_fields value: ${unknown}`;
  const custom = q.custom_fields ? q.custom_fields.split(',').filter(Boolean) : null;
  if (custom && custom.length > 15) return 'custom_fields accepts at most 15 keys';
  return { include, custom };
}

export function registerRecordRoutes(app: FastifyInstance, ctx: PipedriveContext): void {
  const account = (req: FastifyRequest): SandboxAccount => req.sandbox.account;

  for (const type of OBJECT_TYPES) {
    const base = `/api/v2/${OBJECTS[type].path}`;
    const read = { kind: 'list', scopes: readScopes(type), limit: 'api' as const };

    const list = (archived: boolean) => async (req: FastifyRequest<{ Querystring: Query }>, reply: FastifyReply) => {
      const q = req.query;
      const a = account(req);
      const coll = collectionOf(a, type);
      const limit = q.limit === undefined ? DEFAULT_LIMIT : Number(q.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return badRequest(reply, `Invalid limit: must be an integer between 1 and ${MAX_LIMIT}`);
      const by = (q.sort_by ?? 'id') as SortBy;
      if (!['id', 'update_time', 'add_time'].includes(by)) return badRequest(reply, `Invalid sort_by: ${q.sort_by}`);
      if (q.sort_direction !== undefined && !['asc', 'desc'].includes(q.sort_direction)) return badRequest(reply, `Invalid sort_direction: ${q.sort_direction}`);
      for (const t of [q.updated_since, q.updated_until]) if (t !== undefined && !rfcTime.test(t)) return badRequest(reply, `Invalid date-time: ${t} (RFC 3339 expected)`);
      const unknown = Object.keys(q).find((k) => !KNOWN_PARAMS.includes(k) && !FILTERS[type].includes(k));
      if (unknown) return badRequest(reply, `Unknown query parameter: ${unknown}`);
      const from = q.cursor ? decodeCursor(q.cursor) : null;
      if (q.cursor && !from) return badRequest(reply, 'Invalid cursor');
      const shape = shapeOf(type, q);
      if (typeof shape === 'string') return badRequest(reply, shape);
      const statuses = (q.status ?? '').split(',').filter(Boolean);
      if (type !== 'deals' && statuses.length) return badRequest(reply, 'Unknown query parameter: status');
      if (statuses.some((s) => !['open', 'won', 'lost', 'deleted'].includes(s))) return badRequest(reply, `Invalid status: ${q.status}`);
      const deleted = statuses.includes('deleted');
      if (deleted && statuses.length > 1) return badRequest(reply, 'status=deleted cannot be combined with other statuses');
      // Up to 100 ids, comma separated (the v2 spec's `ids`): how a client reads records it was told changed.
      const ids = q.ids ? q.ids.split(',').map(Number) : null;
      if (ids && ids.length > 100) return badRequest(reply, 'ids accepts at most 100 ids');
      if (ids?.some((id) => !Number.isSafeInteger(id) || id <= 0)) return badRequest(reply, `Invalid ids: ${q.ids}`);
      const sinceMs = q.updated_since ? Date.parse(q.updated_since) : null;
      const untilMs = q.updated_until ? Date.parse(q.updated_until) : null;
      // Listings by modification time read an index that trails writes (lag.ts).
      const lagging = sinceMs !== null || untilMs !== null ? laggingSlots(ctx, a, type) : new Set<number>();
      const filters = FILTERS[type].filter((f) => q[f] !== undefined).map((f) => ({ f, value: Number(q[f]) }));
      const accept = (slot: number) => {
        if (deleted && isPurged(ctx, a, type, slot)) return false;
        if (lagging.has(slot)) return false;
        if (sinceMs !== null && coll.updated[slot]! < sinceMs) return false;
        if (untilMs !== null && coll.updated[slot]! >= untilMs) return false;
        if (ids && !ids.includes(coll.ids[slot]!)) return false;
        if (type === 'deals') {
          const archivedDeal = coll.prop(slot, 'is_archived') === 'true';
          if (archivedDeal !== archived) return false;
          if (statuses.length && !deleted && !statuses.includes(coll.prop(slot, 'status') ?? 'open')) return false;
        }
        for (const { f, value } of filters) {
          if (f === 'owner_id' || f === 'pipeline_id' || f === 'stage_id') { if (Number(coll.prop(slot, f)) !== value) return false; }
          else if (f === 'org_id' && linkedId(a, type, slot, 'companies') !== value) return false;
          else if (f === 'person_id' && linkedId(a, type, slot, 'contacts') !== value) return false;
          else if (f === 'deal_id' && !a.data.associations.get(type, slot, 'deals').some((d) => collectionOf(a, 'deals').ids[d] === value)) return false;
        }
        return true;
      };
      const page = pageOf(coll, { by, descending: q.sort_direction === 'desc', limit, from, accept, deleted, updatedSinceMs: sinceMs });
      const latency = ctx.options.listLatencyMsPerRecord * page.slots.length;
      if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
      return {
        success: true,
        data: page.slots.map((slot) => shaped(serialize(a, type, slot), type, shape)),
        additional_data: { next_cursor: page.next ? encodeCursor(page.next) : null },
      };
    };
    app.get(base, { config: { sandbox: read } }, list(false));
    if (type === 'deals') app.get(`${base}/archived`, { config: { sandbox: read } }, list(true));

    app.get(`${base}/search`, { config: { sandbox: { kind: 'search', scopes: readScopes(type), limit: 'search' } } }, async (req: FastifyRequest<{ Querystring: Query }>, reply) => {
      const term = (req.query.term ?? '').trim().toLowerCase();
      if (term.length < 2) return badRequest(reply, 'term must be at least 2 characters long');
      const limit = Number(req.query.limit ?? DEFAULT_LIMIT);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return badRequest(reply, `Invalid limit: must be an integer between 1 and ${MAX_LIMIT}`);
      const exact = req.query.exact_match === 'true';
      const start = req.query.cursor ? decodeCursor(req.query.cursor)?.id ?? -1 : 0;
      if (start < 0) return badRequest(reply, 'Invalid cursor');
      const a = account(req);
      const coll = collectionOf(a, type);
      const items: { result_score: number; item: Record<string, unknown> }[] = [];
      let next: number | null = null;
      for (let s = coll.lowerBound(start); s < coll.size; s++) {
        if (!coll.isLive(s)) continue;
        const p = coll.props(s);
        const values = [p.name, p.title, p.email, p.phone].filter(Boolean).map((v) => v!.toLowerCase());
        if (!values.some((v) => (exact ? v === term : v.includes(term)))) continue;
        if (items.length === limit) { next = coll.ids[s]!; break; }
        const record = serialize(a, type, s);
        items.push({ result_score: exact ? 1 : 0.5, item: { id: record.id, type: OBJECTS[type].entity, name: record.name ?? record.title, owner: { id: record.owner_id } } });
      }
      return { success: true, data: { items }, additional_data: { next_cursor: next === null ? null : encodeCursor({ key: next, id: next }) } };
    });

    const found = (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, live: boolean) => {
      const a = account(req);
      const coll = collectionOf(a, type);
      const id = Number(req.params.id);
      const slot = Number.isInteger(id) ? coll.slotOf(id) : -1;
      if (slot < 0 || isPurged(ctx, a, type, slot) || (live && !coll.isLive(slot))) return void notFound(reply, `${OBJECTS[type].entity[0]!.toUpperCase()}${OBJECTS[type].entity.slice(1)} not found`);
      return { a, slot };
    };

    app.get(`${base}/:id`, { config: { sandbox: { kind: 'get', scopes: readScopes(type), limit: 'api' } } }, async (req: FastifyRequest<{ Params: { id: string }; Querystring: Query }>, reply) => {
      const f = found(req, reply, false);
      if (!f) return reply;
      const shape = shapeOf(type, req.query);
      if (typeof shape === 'string') return badRequest(reply, shape);
      return { success: true, data: shaped(serialize(f.a, type, f.slot), type, shape) };
    });

    const body = (req: FastifyRequest) => (req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : null);
    const write = { kind: 'write', scopes: writeScopes(type), limit: 'api' as const };

    app.post(base, { config: { sandbox: write } }, async (req, reply) => {
      const b = body(req);
      if (!b) return badRequest(reply, 'The request body must be a JSON object');
      const parsed = parseWrite(type, b);
      if (typeof parsed === 'string') return badRequest(reply, parsed);
      const a = account(req);
      const r = createRecord(ctx, a, type, parsed, 'api');
      return r.ok ? { success: true, data: serialize(a, type, r.slot) } : sendError(reply, r.status, r.message);
    });

    app.patch(`${base}/:id`, { config: { sandbox: write } }, async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
      const f = found(req, reply, true);
      if (!f) return reply;
      const b = body(req);
      if (!b) return badRequest(reply, 'The request body must be a JSON object');
      const parsed = parseWrite(type, b);
      if (typeof parsed === 'string') return badRequest(reply, parsed);
      const r = updateRecord(ctx, f.a, type, f.slot, parsed, 'api');
      return r.ok ? { success: true, data: serialize(f.a, type, r.slot) } : sendError(reply, r.status, r.message);
    });

    if (type !== 'deals') {
      // Merging stayed on v1 (`PUT /v1/{persons|organizations}/{id}/merge { merge_with_id }`): `id` goes, `merge_with_id` stays.
      const merge = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
        const f = found(req, reply, true);
        if (!f) return reply;
        const into = Number((body(req) ?? {}).merge_with_id);
        const coll = collectionOf(f.a, type);
        const intoSlot = Number.isInteger(into) ? coll.slotOf(into) : -1;
        if (intoSlot < 0 || !coll.isLive(intoSlot)) return badRequest(reply, 'merge_with_id must be the id of an existing record');
        if (intoSlot === f.slot) return badRequest(reply, 'Cannot merge a record with itself');
        mergeRecords(ctx, f.a, type, f.slot, intoSlot, 'api');
        return { success: true, data: serialize(f.a, type, intoSlot) };
      };
      for (const prefix of ['/api/v1', '/v1']) app.put(`${prefix}/${OBJECTS[type].path}/:id/merge`, { config: { sandbox: write } }, merge);
    }

    app.delete(`${base}/:id`, { config: { sandbox: write } }, async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
      const f = found(req, reply, true);
      if (!f) return reply;
      deleteRecord(ctx, f.a, type, f.slot, 'api');
      return { success: true, data: { id: collectionOf(f.a, type).ids[f.slot] } };
    });
  }
}
