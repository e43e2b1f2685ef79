/**
 * COQL (`POST /crm/v8/coql`, `{select_query}`): the subset a sync needs, `select <fields> from
 * <module> [where <field> <op> '<value>' [and …]] [order by <field> [asc|desc]] [limit [offset,] count]`
 * (also `limit count offset n`), with `=`, `!=`, `>`, `>=`, `<`, `<=` on times, ids and text. At most
 * 2,000 rows a query (LIMIT_EXCEEDED) and rows up to offset 100,000; 204 when nothing matches; the
 * answer `{data, info: {count, more_records}}`. Errors in the file's words (coql.json).
 * https://www.zoho.com/crm/developer/docs/api/v8/COQL-Overview.html
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZohoContext } from './context.js';
import { dcPaths } from './datacentres.js';
import { sendZohoError } from './errors.js';
import { fieldOf, moduleByApiName, readScopes, type ObjectType } from './modules.js';
import { fullRecord, pickFields } from './serialize.js';

const MAX_ROWS = 2000;
const MAX_REACH = 100_000;
const QUERY = /^\s*select\s+(.+?)\s+from\s+(\w+)(?:\s+where\s+(.+?))?(?:\s+order\s+by\s+(\w+)(?:\s+(asc|desc))?)?(?:\s+limit\s+(\d+)(?:\s*,\s*(\d+)|\s+offset\s+(\d+))?)?\s*;?\s*$/is;
const CONDITION = /^\s*(\w+)\s*(=|!=|>=|<=|>|<)\s*'([^']*)'\s*$/;

interface Condition { field: string; op: string; value: string }

const compare = (field: string, a: unknown, b: string): number => {
  if (a === null || a === undefined) return Number.NaN;
  if (field === 'id') return Number(BigInt(String(a)) - BigInt(b) > 0n) - Number(BigInt(String(a)) < BigInt(b));
  if (/_Time$/.test(field) || /Date/.test(field)) return Math.sign(Date.parse(String(a)) - Date.parse(b));
  return String(a) < b ? -1 : String(a) > b ? 1 : 0;
};
const holds = (c: Condition, value: unknown): boolean => {
  const d = compare(c.field, value, c.value);
  if (Number.isNaN(d)) return false;
  return { '=': d === 0, '!=': d !== 0, '>': d > 0, '>=': d >= 0, '<': d < 0, '<=': d <= 0 }[c.op]!;
};
const known = (type: ObjectType, field: string) => field === 'id' || !!fieldOf(type, field);

export function registerCoqlRoutes(app: FastifyInstance, ctx: ZohoContext): void {
  const invalid = (reply: FastifyReply, message: string, details: Record<string, unknown>) => sendZohoError(reply, 400, 'INVALID_QUERY', message, details);
  const syntax = (reply: FastifyReply, clause: string) => sendZohoError(reply, 400, 'SYNTAX_ERROR', 'invalid query formed', { clause });
  const scopes = (req: FastifyRequest) => {
    const module = /\bfrom\s+(\w+)/i.exec(String((req.body as { select_query?: unknown } | undefined)?.select_query ?? ''))?.[1];
    const type = module ? moduleByApiName(module) : undefined;
    // COQL needs the coql scope and read access to the module.
    return type ? readScopes(type) : ['ZohoCRM.coql.READ'];
  };

  for (const path of dcPaths('/crm/v8/coql')) app.post(path, { config: { sandbox: { kind: 'list', scopes, limit: 'api' as const } } }, async (req: FastifyRequest<{ Body: { select_query?: unknown } }>, reply) => {
    const granted = req.sandbox.token!.scopes;
    if (!granted.some((s) => s === 'ZohoCRM.coql.READ' || s === 'ZohoCRM.modules.ALL')) return sendZohoError(reply, 401, 'OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL', {});
    const text = req.body?.select_query;
    if (typeof text !== 'string' || text.trim() === '') return sendZohoError(reply, 400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'select_query' });
    const m = QUERY.exec(text);
    if (!m) return syntax(reply, /\bfrom\b/i.test(text) ? 'where' : 'from');
    const [, fieldList, module, where, orderBy, direction, first, second, offsetWord] = m;
    const type = moduleByApiName(module!);
    if (!type) return invalid(reply, 'invalid query formed', { module: module });
    const fields = fieldList!.split(',').map((f) => f.trim());
    const unknownField = fields.find((f) => !known(type, f));
    if (unknownField) return invalid(reply, 'column given seems to be invalid', { column_name: unknownField });
    const conditions: Condition[] = [];
    for (const part of where ? where.split(/\s+and\s+/i) : []) {
      const c = CONDITION.exec(part);
      if (!c) return syntax(reply, 'where');
      if (!known(type, c[1]!)) return invalid(reply, 'column given seems to be invalid', { column_name: c[1] });
      if (/_Time$/.test(c[1]!) && Number.isNaN(Date.parse(c[3]!))) return invalid(reply, 'value given seems to be invalid for the column', { column_name: c[1] });
      conditions.push({ field: c[1]!, op: c[2]!, value: c[3]! });
    }
    if (orderBy && !known(type, orderBy)) return invalid(reply, 'column given seems to be invalid', { column_name: orderBy });
    const [offset, count] = second !== undefined ? [Number(first), Number(second)] : offsetWord !== undefined ? [Number(offsetWord), Number(first)] : [0, first === undefined ? 200 : Number(first)];
    if (count > MAX_ROWS || offset + count > MAX_REACH) return sendZohoError(reply, 400, 'LIMIT_EXCEEDED', 'limit exceeded', { limit: count > MAX_ROWS ? MAX_ROWS : MAX_REACH });

    const account = req.sandbox.account;
    const coll = account.data.collections.get(type)!;
    const rows = [];
    for (let slot = 0; slot < coll.size; slot++) {
      if (!coll.isLive(slot)) continue;
      const record = fullRecord(account, type, slot);
      if (conditions.every((c) => holds(c, c.field === 'id' ? record.id : record[c.field]))) rows.push(record);
    }
    if (orderBy) {
      const sign = direction?.toLowerCase() === 'desc' ? -1 : 1;
      rows.sort((a, b) => sign * (compare(orderBy, a[orderBy], String(b[orderBy] ?? '')) || compare('id', a.id, b.id)));
    }
    const page = rows.slice(offset, offset + count);
    if (page.length === 0) return reply.code(204).send();
    return { data: page.map((r) => pickFields(r, fields)), info: { count: page.length, more_records: offset + count < rows.length } };
  });
}
