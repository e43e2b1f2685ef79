/**
 * The REST API under /services/data/vXX.X: versions, the resource map, sObjects (list, describe,
 * CRUD, updated / deleted replication), sObject Collections (200 per call, per-row results),
 * query / queryAll with their locators, and /limits. Every answer past the pipeline carries
 * `Sforce-Limit-Info` (limits.ts); errors are the `[{ message, errorCode, fields? }]` array.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { dailyKey } from '../core/rate-limit.js';
import type { SandboxAccount } from '../core/store.js';
import type { SalesforceContext } from './context.js';
import { sendSfError } from './errors.js';
import { API_DISABLED_TIERS } from './limits.js';
import { numericId, OBJECT_TYPES, SOBJECTS, typeOfSObject, type ObjectType } from './objects.js';
import { batchSizeOf, DEFAULT_BATCH, followLocator, RECYCLE_BIN_MS, runQuery } from './query.js';
import { createRecord, deleteRecord, recordRow, sfDate, updateRecord, type WriteResult } from './records.js';
import { SoqlError } from './soql.js';
import { describe, describeGlobal } from './describe.js';
import { bulkJobsToday } from './bulk-routes.js';

const VERSIONS = ['55.0', '56.0', '57.0', '58.0', '59.0', '60.0', '61.0', '62.0'];
const API_SCOPES = () => ['api', 'full', 'web'];
export const api = (kind: string) => ({ config: { sandbox: { kind, scopes: API_SCOPES, limit: 'api' as const } } });
const MAX_COLLECTION = 200;
const REPLICATION_WINDOW_MS = 30 * 86_400_000;

type Params = { version: string; type?: string; id?: string; locator?: string };
export const account = (req: FastifyRequest): SandboxAccount => req.sandbox.account;

/** The sObject in the path, or a 404 NOT_FOUND answer. */
function objectOf(req: FastifyRequest, reply: FastifyReply): ObjectType | undefined {
  const type = typeOfSObject((req.params as Params).type ?? '');
  if (!type) void sendSfError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');
  return type;
}

function slotOf(a: SandboxAccount, type: ObjectType, id: string, includeDeleted = false): number {
  const n = numericId(SOBJECTS[type].keyPrefix, id);
  const coll = a.data.collections.get(type)!;
  const slot = n < 0 ? -1 : coll.slotOf(n);
  return slot >= 0 && (coll.isLive(slot) || includeDeleted) ? slot : -1;
}

const writeError = (r: Extract<WriteResult, { ok: false }>) => ({ statusCode: r.errorCode, message: r.message, fields: r.fields ?? [] });

export function registerRestRoutes(app: FastifyInstance, ctx: SalesforceContext): void {
  app.addHook('onRequest', async (req) => {
    ctx.origin = `${req.protocol}://${req.headers.host}`;
  });
  // Versions must be real ones; an edition without API access is refused after authentication.
  app.addHook('preHandler', async (req, reply) => {
    const version = (req.params as Partial<Params> | undefined)?.version;
    if (version !== undefined && !VERSIONS.includes(version.replace(/^v/, ''))) return sendSfError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');
    if (req.sandbox?.token && API_DISABLED_TIERS.has(req.sandbox.account.limits.tier)) return sendSfError(reply, 403, 'API_DISABLED_FOR_ORG', 'The REST API is not enabled for this Organization.');
  });

  // Free of charge and without authentication, as on Salesforce.
  app.get('/services/data', { config: { sandbox: { kind: 'metadata' } } }, async () => VERSIONS.map((v) => ({ label: `Release ${v}`, url: `/services/data/v${v}`, version: v })));
  app.get('/services/data/', { config: { sandbox: { kind: 'metadata' } } }, async () => VERSIONS.map((v) => ({ label: `Release ${v}`, url: `/services/data/v${v}`, version: v })));

  app.get('/services/data/:version', api('metadata'), async (req) => {
    const base = `/services/data/${(req.params as Params).version}`;
    const token = req.sandbox.token!;
    return Object.fromEntries([['tooling', '/tooling'], ['metadata', '/metadata'], ['eclair', '/eclair'], ['folders', '/folders'], ['prechatForms', '/prechatForms'], ['chatter', '/chatter'],
      ['tabs', '/tabs'], ['appMenu', '/appMenu'], ['quickActions', '/quickActions'], ['queryAll', '/queryAll'], ['commerce', '/commerce'], ['wave', '/wave'], ['iot', '/iot'],
      ['analytics', '/analytics'], ['search', '/search'], ['composite', '/composite'], ['parameterizedSearch', '/parameterizedSearch'], ['theme', '/theme'], ['nouns', '/nouns'],
      ['recent', '/recent'], ['licensing', '/licensing'], ['limits', '/limits'], ['async-queries', '/async-queries'], ['query', '/query'], ['jobs', '/jobs'], ['sobjects', '/sobjects']]
      .map(([k, v]) => [k, base + v]).concat([['identity', `${ctx.origin}/id/00D${String(token.accountId).padStart(12, '0')}AAA/005${String(token.userId).padStart(12, '0')}AAA`]]));
  });

  app.get('/services/data/:version/limits', api('account'), async (req) => {
    const a = account(req);
    const daily = ctx.limiter.daily(dailyKey(a.id), a.limits.dailyMax, false);
    const max = a.limits.dailyMax ?? 5_000_000;
    const jobs = bulkJobsToday(ctx, a);
    const pair = (Max: number, Remaining: number) => ({ Max, Remaining });
    return {
      ConcurrentAsyncGetReportInstances: pair(200, 200), ConcurrentSyncReportRuns: pair(20, 20), DailyApiRequests: pair(max, Math.max(0, max - daily.used)),
      DailyAsyncApexExecutions: pair(250_000, 250_000), DailyBulkApiBatches: pair(15_000, 15_000), DailyBulkV2QueryFileStorageMB: pair(976_562, 976_562),
      DailyBulkV2QueryJobs: pair(ctx.options.dailyBulkQueryJobs, Math.max(0, ctx.options.dailyBulkQueryJobs - jobs)), DataStorageMB: pair(1024, 1000), FileStorageMB: pair(2048, 2048),
      HourlyODataCallout: pair(20_000, 20_000), SingleEmailMessages: pair(5000, 5000),
    };
  });

  // Record counts per object (Salesforce's are approximate and refreshed periodically; these are exact).
  app.get('/services/data/:version/limits/recordCount', api('account'), async (req) => {
    const wanted = String((req.query as { sObjects?: string }).sObjects ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const types = OBJECT_TYPES.filter((t) => wanted.length === 0 || wanted.some((w) => w.toLowerCase() === SOBJECTS[t].type.toLowerCase()));
    return { sObjects: types.map((t) => ({ count: account(req).data.collections.get(t)!.liveCount, name: SOBJECTS[t].type })) };
  });

  app.get('/services/data/:version/sobjects', api('metadata'), async () => describeGlobal());
  app.get('/services/data/:version/sobjects/:type/describe', api('metadata'), async (req, reply) => {
    const type = objectOf(req, reply);
    return type ? describe(SOBJECTS[type], (req.params as Params).version) : reply;
  });
  app.get('/services/data/:version/sobjects/:type', api('metadata'), async (req, reply) => {
    const type = objectOf(req, reply);
    if (!type) return reply;
    const global = describeGlobal().sobjects.find((s) => s.name === SOBJECTS[type].type)!;
    const coll = account(req).data.collections.get(type)!;
    const recent = coll.modifiedOrder().slice(-3).reverse().map((s) => recordRow(account(req), type, s)).map((r) => ({ attributes: r.attributes, Id: r.Id, Name: r.Name ?? `${r.FirstName ?? ''} ${r.LastName ?? ''}`.trim() }));
    return { objectDescribe: global, recentItems: recent };
  });

  app.post('/services/data/:version/sobjects/:type', api('write'), async (req, reply) => {
    const type = objectOf(req, reply);
    if (!type) return reply;
    const body = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return sendSfError(reply, 400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
    const r = createRecord(ctx, account(req), type, body as Record<string, unknown>);
    if (!r.ok) return sendSfError(reply, r.status, r.errorCode, r.message, r.fields);
    return reply.code(201).send({ id: recordRow(account(req), type, r.slot).Id, success: true, errors: [] });
  });

  // The replication API: ids changed or deleted in a window within the last 30 days.
  const window = (req: FastifyRequest, reply: FastifyReply) => {
    const q = req.query as Record<string, string | undefined>;
    const start = Date.parse(q.start ?? '');
    const end = Date.parse(q.end ?? '');
    const now = ctx.store.clock.now();
    if (Number.isNaN(start) || Number.isNaN(end)) return void sendSfError(reply, 400, 'MALFORMED_QUERY', 'Both start and end dates must be provided in the format yyyy-MM-ddTHH:mm:ss+00:00');
    if (end <= start) return void sendSfError(reply, 400, 'INVALID_REPLICATION_DATE', 'start date must chronologically precede end date');
    if (start < now - REPLICATION_WINDOW_MS) return void sendSfError(reply, 400, 'INVALID_REPLICATION_DATE', 'startDate cannot be more than 30 days ago');
    // Coverage is to the minute, as Salesforce's replication API reports it.
    const covered = Math.min(end, now) - (Math.min(end, now) % 60_000);
    return { start, end: covered };
  };
  app.get('/services/data/:version/sobjects/:type/updated', api('list'), async (req, reply) => {
    const type = objectOf(req, reply);
    const w = type && window(req, reply);
    if (!type || !w) return reply;
    const coll = account(req).data.collections.get(type)!;
    const ids = coll.modifiedOrder().filter((s) => coll.updated[s]! >= w.start && coll.updated[s]! < w.end).map((s) => recordRow(account(req), type, s).Id);
    return { ids, latestDateCovered: sfDate(w.end) };
  });
  app.get('/services/data/:version/sobjects/:type/deleted', api('list'), async (req, reply) => {
    const type = objectOf(req, reply);
    const w = type && window(req, reply);
    if (!type || !w) return reply;
    const coll = account(req).data.collections.get(type)!;
    const deletedRecords = [];
    for (let s = 0; s < coll.size; s++) {
      const at = coll.archivedAt[s]!;
      if (coll.isArchived(s) && at >= w.start && at < w.end) deletedRecords.push({ id: recordRow(account(req), type, s).Id, deletedDate: sfDate(at) });
    }
    return { deletedRecords, earliestDateAvailable: sfDate(ctx.store.clock.now() - RECYCLE_BIN_MS), latestDateCovered: sfDate(w.end) };
  });

  app.get('/services/data/:version/sobjects/:type/:id', api('get'), async (req, reply) => {
    const type = objectOf(req, reply);
    if (!type) return reply;
    const slot = slotOf(account(req), type, (req.params as Params).id!);
    if (slot < 0) return sendSfError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');
    const row = recordRow(account(req), type, slot);
    const fields = (req.query as { fields?: string }).fields;
    if (!fields) return row;
    const names = fields.split(',').map((f) => f.trim());
    const spec = SOBJECTS[type];
    const unknown = names.find((n) => !spec.fields.some((f) => f.name.toLowerCase() === n.toLowerCase()));
    if (unknown) return sendSfError(reply, 400, 'INVALID_FIELD', `No such column '${unknown}' on entity '${spec.type}'.`);
    return Object.fromEntries([['attributes', row.attributes], ...names.map((n) => { const f = spec.fields.find((x) => x.name.toLowerCase() === n.toLowerCase())!; return [f.name, row[f.name]]; })]);
  });
  app.patch('/services/data/:version/sobjects/:type/:id', api('write'), async (req, reply) => {
    const type = objectOf(req, reply);
    if (!type) return reply;
    const slot = slotOf(account(req), type, (req.params as Params).id!);
    if (slot < 0) return sendSfError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');
    const r = updateRecord(ctx, account(req), type, slot, (req.body ?? {}) as Record<string, unknown>);
    return r.ok ? reply.code(204).send() : sendSfError(reply, r.status, r.errorCode, r.message, r.fields);
  });
  app.delete('/services/data/:version/sobjects/:type/:id', api('write'), async (req, reply) => {
    const type = objectOf(req, reply);
    if (!type) return reply;
    const slot = slotOf(account(req), type, (req.params as Params).id!, true);
    if (slot < 0 || !account(req).data.collections.get(type)!.isLive(slot)) return sendSfError(reply, 404, slot < 0 ? 'NOT_FOUND' : 'ENTITY_IS_DELETED', slot < 0 ? 'The requested resource does not exist' : 'entity is deleted');
    deleteRecord(ctx, account(req), type, slot);
    return reply.code(204).send();
  });

  // sObject Collections: up to 200 records per call, a result per row (statusCode, not errorCode).
  const rowsOf = (req: FastifyRequest, reply: FastifyReply) => {
    const body = (req.body ?? {}) as { allOrNone?: boolean; records?: Record<string, unknown>[] };
    if (!Array.isArray(body.records)) return void sendSfError(reply, 400, 'JSON_PARSER_ERROR', 'records is required');
    if (body.records.length > MAX_COLLECTION) return void sendSfError(reply, 400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_COLLECTION} records into this call`);
    return body.records;
  };
  const typeOfRow = (row: Record<string, unknown>) => typeOfSObject(String((row.attributes as { type?: string } | undefined)?.type ?? ''));
  app.post('/services/data/:version/composite/sobjects', api('batch'), async (req, reply) => {
    const rows = rowsOf(req, reply);
    if (!rows) return reply;
    return rows.map((row) => {
      const type = typeOfRow(row);
      if (!type) return { success: false, errors: [{ statusCode: 'INVALID_TYPE', message: 'Must specify a type in attributes', fields: [] }] };
      const r = createRecord(ctx, account(req), type, row);
      return r.ok ? { id: recordRow(account(req), type, r.slot).Id, success: true, errors: [] } : { success: false, errors: [writeError(r)] };
    });
  });
  app.patch('/services/data/:version/composite/sobjects', api('batch'), async (req, reply) => {
    const rows = rowsOf(req, reply);
    if (!rows) return reply;
    return rows.map((row) => {
      const type = typeOfRow(row);
      const id = String(row.Id ?? row.id ?? '');
      if (!type) return { success: false, errors: [{ statusCode: 'INVALID_TYPE', message: 'Must specify a type in attributes', fields: [] }] };
      const slot = slotOf(account(req), type, id);
      if (slot < 0) return { id, success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }] };
      const { Id: _id, id: _lower, ...fields } = row;
      const r = updateRecord(ctx, account(req), type, slot, fields);
      return r.ok ? { id, success: true, errors: [] } : { id, success: false, errors: [writeError(r)] };
    });
  });
  app.delete('/services/data/:version/composite/sobjects', api('batch'), async (req, reply) => {
    const ids = String((req.query as { ids?: string }).ids ?? '').split(',').filter(Boolean);
    if (ids.length > MAX_COLLECTION) return sendSfError(reply, 400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_COLLECTION} records into this call`);
    return ids.map((id) => {
      const type = OBJECT_TYPES.find((t) => id.startsWith(SOBJECTS[t].keyPrefix));
      const slot = type ? slotOf(account(req), type, id) : -1;
      if (!type || slot < 0) return { id, success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }] };
      deleteRecord(ctx, account(req), type, slot);
      return { id, success: true, errors: [] };
    });
  });

  const query = (all: boolean) => async (req: FastifyRequest, reply: FastifyReply) => {
    const q = (req.query as { q?: string }).q;
    if (!q) return sendSfError(reply, 400, 'MALFORMED_QUERY', 'A query string has to be specified');
    try {
      return runQuery(ctx, account(req), q, all, batchSizeOf(req.headers['sforce-query-options']) ?? DEFAULT_BATCH, (req.params as Params).version);
    } catch (error) {
      if (error instanceof SoqlError) return sendSfError(reply, 400, error.errorCode, error.message);
      throw error;
    }
  };
  const more = async (req: FastifyRequest, reply: FastifyReply) => {
    try {
      return followLocator(ctx, account(req), (req.params as Params).locator!, batchSizeOf(req.headers['sforce-query-options']), (req.params as Params).version);
    } catch (error) {
      if (error instanceof SoqlError) return sendSfError(reply, 400, error.errorCode, error.message);
      throw error;
    }
  };
  app.get('/services/data/:version/query', api('list'), query(false));
  app.get('/services/data/:version/queryAll', api('list'), query(true));
  app.get('/services/data/:version/query/:locator', api('list'), more);
  app.get('/services/data/:version/queryAll/:locator', api('list'), more);
}
