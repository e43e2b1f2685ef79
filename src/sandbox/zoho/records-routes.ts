/**
 * `/crm/v8/{module}`: list (fields required), get, create / update / upsert / delete (100 per call,
 * 201/200 or 207 for mixed results), the deleted listing and the count.
 * https://www.zoho.com/crm/developer/docs/api/v8/get-records.html
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxAccount } from '../core/store.js';
import { deletionKey, type ZohoContext } from './context.js';
import { dcPaths } from './datacentres.js';
import { sendZohoError, zohoError } from './errors.js';
import { fromZohoId, toZohoId, zohoTime } from './ids.js';
import { decodeToken, listRecords, MAX_PER_PAGE, type ListRequest } from './listing.js';
import { MODULES, fieldOf, moduleByApiName, readScopes, writeScopes, type ObjectType } from './modules.js';
import { fullRecord, pickFields } from './serialize.js';
import { archiveRecord, createRecord, updateRecord, type WriteResult } from './writes.js';

const WRITE_LIMIT = 100;
type Req = FastifyRequest<{ Params: { module: string; id?: string }; Querystring: Record<string, string | undefined> }>;

const typeOfReq = (req: FastifyRequest) => moduleByApiName((req.params as { module: string }).module);
const read = (req: FastifyRequest) => { const t = typeOfReq(req); return t ? readScopes(t) : ['ZohoCRM.modules.READ', 'ZohoCRM.modules.ALL']; };
const write = (op: 'CREATE' | 'UPDATE' | 'DELETE') => (req: FastifyRequest) => { const t = typeOfReq(req); return t ? writeScopes(t, op) : ['ZohoCRM.modules.ALL']; };

function moduleOr400(req: Req, reply: FastifyReply): ObjectType | undefined {
  const type = moduleByApiName(req.params.module);
  if (!type) void sendZohoError(reply, 400, 'INVALID_MODULE', 'The module name given seems to be invalid', { resource_path_index: 0 });
  return type;
}

function sinceOf(req: FastifyRequest): number | null | 'invalid' {
  const header = req.headers['if-modified-since'];
  if (header === undefined) return null;
  const at = Date.parse(String(header));
  return Number.isNaN(at) ? 'invalid' : at;
}

const success = (account: SandboxAccount, type: ObjectType, slot: number, message: string, action?: string) => {
  const record = fullRecord(account, type, slot);
  return {
    code: 'SUCCESS', status: 'success', message, ...(action ? { action } : {}),
    details: { id: record.id, Created_Time: record.Created_Time, Modified_Time: record.Modified_Time, Created_By: record.Created_By, Modified_By: record.Modified_By, $approval_state: 'approved' },
  };
};

/** 201/200 when every row succeeded, 207 when some did not, 400 when none did. */
function rowsReply(reply: FastifyReply, rows: { status: string }[], okStatus: number) {
  const ok = rows.filter((r) => r.status === 'success').length;
  return reply.code(ok === rows.length ? okStatus : ok === 0 ? 400 : 207).send({ data: rows });
}

function dataOf(req: FastifyRequest, reply: FastifyReply): Record<string, unknown>[] | undefined {
  const data = (req.body as { data?: unknown } | undefined)?.data;
  if (!Array.isArray(data) || data.length === 0) return void sendZohoError(reply, 400, 'MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'data', json_path: '$.data' });
  if (data.length > WRITE_LIMIT) return void sendZohoError(reply, 400, 'LIMIT_EXCEEDED', 'Record count exceeded', { limit: WRITE_LIMIT });
  return data as Record<string, unknown>[];
}

const rowError = (r: Extract<WriteResult, { ok: false }>) => zohoError(r.code, r.message, r.details);

export function registerRecordRoutes(app: FastifyInstance, ctx: ZohoContext): void {
  const list = { config: { sandbox: { kind: 'list', scopes: read, limit: 'api' as const } } };

  for (const path of dcPaths('/crm/v8/:module')) app.get(path, list, async (req: Req, reply) => {
    const type = moduleOr400(req, reply);
    if (!type) return reply;
    const account = req.sandbox.account;
    const q = req.query;
    if (!q.fields && !q.ids) return sendZohoError(reply, 400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'fields' });
    const fields = (q.fields ?? MODULES[type].fields.map((f) => f.api_name).join(',')).split(',').map((f) => f.trim()).filter(Boolean);
    if (fields.length > 50) return sendZohoError(reply, 400, 'LIMIT_EXCEEDED', 'Max field limit exceeded', { param_name: 'fields', limit: 50 });
    const unknown = fields.find((f) => f !== 'id' && !fieldOf(type, f) && f !== 'Created_By' && f !== 'Modified_By');
    if (unknown) return sendZohoError(reply, 400, 'INVALID_DATA', 'invalid data', { param_name: 'fields', api_name: unknown });
    const coll = account.data.collections.get(type)!;
    if (q.ids) {
      const slots = q.ids.split(',').slice(0, WRITE_LIMIT).map((id) => coll.slotOf(fromZohoId(id))).filter((s) => s >= 0 && coll.isLive(s));
      if (slots.length === 0) return reply.code(204).send();
      return { data: slots.map((s) => pickFields(fullRecord(account, type, s), fields)), info: { per_page: slots.length, count: slots.length, page: 1, more_records: false } };
    }
    const perPage = q.per_page === undefined ? MAX_PER_PAGE : Number(q.per_page);
    const page = q.page === undefined ? 1 : Number(q.page);
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) return sendZohoError(reply, 400, 'INVALID_DATA', 'invalid data', { param_name: 'per_page', maximum_length: String(MAX_PER_PAGE) });
    if (!Number.isInteger(page) || page < 1) return sendZohoError(reply, 400, 'INVALID_DATA', 'invalid data', { param_name: 'page' });
    const since = sinceOf(req);
    if (since === 'invalid') return sendZohoError(reply, 400, 'INVALID_DATA', 'invalid data', { header_name: 'If-Modified-Since' });
    const sortBy = q.sort_by ?? 'id';
    if (!['id', 'Created_Time', 'Modified_Time'].includes(sortBy)) return sendZohoError(reply, 400, 'INVALID_DATA', 'invalid data', { param_name: 'sort_by' });
    const token = q.page_token ? decodeToken(q.page_token) : null;
    if (q.page_token && !token) return sendZohoError(reply, 400, 'INVALID_DATA', 'invalid data', { param_name: 'page_token' });
    const order: ListRequest['order'] = sortBy === 'Modified_Time' || since !== null ? 'modified' : q.sort_order === 'asc' ? 'id-asc' : 'id-desc';
    const result = listRecords(ctx, account, type, { order, sinceMs: since, perPage, page, token });
    if ('code' in result) return sendZohoError(reply, result.status, result.code, result.message, result.details);
    // Nothing at all: 304 to a conditional request, 204 otherwise (both with no body).
    if (result.records.length === 0) return reply.code(since !== null && !token ? 304 : 204).send();
    return { data: result.records.map((r) => pickFields(r, fields)), info: result.info };
  });

  for (const path of dcPaths('/crm/v8/:module/deleted')) app.get(path, list, async (req: Req, reply) => {
    const type = moduleOr400(req, reply);
    if (!type) return reply;
    const q = req.query;
    const kind = q.type ?? 'all';
    if (!['all', 'recycle', 'permanent'].includes(kind)) return sendZohoError(reply, 400, 'INVALID_DATA', 'invalid data', { param_name: 'type' });
    const perPage = Math.min(MAX_PER_PAGE, Number(q.per_page ?? MAX_PER_PAGE) || MAX_PER_PAGE);
    const page = Math.max(1, Number(q.page ?? 1) || 1);
    const since = sinceOf(req);
    if (since === 'invalid') return sendZohoError(reply, 400, 'INVALID_DATA', 'invalid data', { header_name: 'If-Modified-Since' });
    const account = req.sandbox.account;
    const entries = (ctx.deletions.get(deletionKey(account.id, type)) ?? [])
      .filter((e) => (kind === 'all' || e.type === kind) && (since === null || e.deletedTime >= since))
      .sort((a, b) => b.deletedTime - a.deletedTime || (a.id < b.id ? -1 : 1));
    const slice = entries.slice((page - 1) * perPage, page * perPage);
    if (slice.length === 0) return reply.code(since !== null ? 304 : 204).send();
    const user = (id: number) => { const u = account.users.find((x) => x.id === id); return u ? { name: `${u.firstName} ${u.lastName}`, id: toZohoId(u.id) } : null; };
    return {
      data: slice.map((e) => ({ id: toZohoId(Number(e.id)), display_name: e.displayName, type: e.type, deleted_by: user(e.deletedBy), created_by: user(e.createdBy), deleted_time: zohoTime(e.deletedTime) })),
      info: { per_page: perPage, count: slice.length, page, more_records: page * perPage < entries.length },
    };
  });

  for (const path of dcPaths('/crm/v8/:module/actions/count')) app.get(path, list, async (req: Req, reply) => {
    const type = moduleOr400(req, reply);
    return type ? { count: req.sandbox.account.data.collections.get(type)!.liveCount } : reply;
  });

  for (const path of dcPaths('/crm/v8/:module/:id')) app.get(path, { config: { sandbox: { kind: 'get', scopes: read, limit: 'api' as const } } }, async (req: Req, reply) => {
    const type = moduleOr400(req, reply);
    if (!type) return reply;
    const coll = req.sandbox.account.data.collections.get(type)!;
    const slot = coll.slotOf(fromZohoId(req.params.id));
    if (slot < 0 || !coll.isLive(slot)) return sendZohoError(reply, 400, 'INVALID_DATA', 'the id given seems to be invalid', { id: req.params.id });
    return { data: [fullRecord(req.sandbox.account, type, slot)] };
  });

  const writeRoute = (op: 'CREATE' | 'UPDATE' | 'DELETE') => ({ config: { sandbox: { kind: 'write', scopes: write(op), limit: 'api' as const } } });

  for (const path of dcPaths('/crm/v8/:module')) app.post(path, writeRoute('CREATE'), async (req: Req, reply) => {
    const type = moduleOr400(req, reply);
    const data = type && dataOf(req, reply);
    if (!type || !data) return reply;
    const rows = data.map((input, i) => {
      const r = createRecord(ctx, req.sandbox.account, type, input, i);
      return r.ok ? success(req.sandbox.account, type, r.slot, 'record added') : rowError(r);
    });
    return rowsReply(reply, rows, 201);
  });

  const updateRows = (type: ObjectType, account: SandboxAccount, data: Record<string, unknown>[]) => data.map((input, i) => {
    const coll = account.data.collections.get(type)!;
    const slot = coll.slotOf(fromZohoId(input.id as string));
    if (slot < 0 || !coll.isLive(slot)) return zohoError('INVALID_DATA', 'the id given seems to be invalid', { api_name: 'id', json_path: `$.data[${i}].id` });
    const r = updateRecord(ctx, account, type, slot, input, i);
    return r.ok ? success(account, type, r.slot, 'record updated') : rowError(r);
  });

  for (const path of dcPaths('/crm/v8/:module')) app.put(path, writeRoute('UPDATE'), async (req: Req, reply) => {
    const type = moduleOr400(req, reply);
    const data = type && dataOf(req, reply);
    return type && data ? rowsReply(reply, updateRows(type, req.sandbox.account, data), 200) : reply;
  });
  for (const path of dcPaths('/crm/v8/:module/:id')) app.put(path, writeRoute('UPDATE'), async (req: Req, reply) => {
    const type = moduleOr400(req, reply);
    const data = type && dataOf(req, reply);
    return type && data ? rowsReply(reply, updateRows(type, req.sandbox.account, data.map((d) => ({ ...d, id: req.params.id }))), 200) : reply;
  });

  for (const path of dcPaths('/crm/v8/:module/upsert')) app.post(path, writeRoute('CREATE'), async (req: Req, reply) => {
    const type = moduleOr400(req, reply);
    const data = type && dataOf(req, reply);
    if (!type || !data) return reply;
    const account = req.sandbox.account;
    const coll = account.data.collections.get(type)!;
    const checks = ((req.body as { duplicate_check_fields?: string[] }).duplicate_check_fields ?? [type === 'contacts' ? 'Email' : MODULES[type].nameField]);
    const rows = data.map((input, i) => {
      const match = checks.map((f) => (input[f] ? coll.findUnique(f, String(input[f])) : -1)).find((s) => s >= 0 && coll.isLive(s));
      if (match !== undefined) {
        const r = updateRecord(ctx, account, type, match, input, i);
        return r.ok ? { ...success(account, type, match, 'record updated', 'update'), duplicate_field: checks[0] } : rowError(r);
      }
      const r = createRecord(ctx, account, type, input, i);
      return r.ok ? success(account, type, r.slot, 'record added', 'insert') : rowError(r);
    });
    return rowsReply(reply, rows, 200);
  });

  const deleteRows = (type: ObjectType, account: SandboxAccount, ids: string[]) => ids.map((id) => {
    const coll = account.data.collections.get(type)!;
    const slot = coll.slotOf(fromZohoId(id));
    if (slot < 0 || !coll.isLive(slot)) return zohoError('INVALID_DATA', 'the id given seems to be invalid', { id });
    archiveRecord(ctx, account, type, slot);
    return { code: 'SUCCESS', status: 'success', message: 'record deleted', details: { id } };
  });
  for (const path of dcPaths('/crm/v8/:module')) app.delete(path, writeRoute('DELETE'), async (req: Req, reply) => {
    const type = moduleOr400(req, reply);
    if (!type) return reply;
    const ids = (req.query.ids ?? '').split(',').filter(Boolean);
    if (ids.length === 0) return sendZohoError(reply, 400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'ids' });
    if (ids.length > WRITE_LIMIT) return sendZohoError(reply, 400, 'LIMIT_EXCEEDED', 'Record count exceeded', { limit: WRITE_LIMIT });
    return rowsReply(reply, deleteRows(type, req.sandbox.account, ids), 200);
  });
  for (const path of dcPaths('/crm/v8/:module/:id')) app.delete(path, writeRoute('DELETE'), async (req: Req, reply) => {
    const type = moduleOr400(req, reply);
    return type ? rowsReply(reply, deleteRows(type, req.sandbox.account, [req.params.id!]), 200) : reply;
  });
}
