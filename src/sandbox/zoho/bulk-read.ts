/**
 * Bulk Read (`/crm/bulk/v8/read`): a job for one module's records, `{query: {module: {api_name},
 * fields?, page?}}` → 201 `ADDED`; `GET …/{job_id}` its state (done at once here: `COMPLETED`, with
 * `result {page, count, per_page: 200000, more_records, download_url}`); `GET …/{job_id}/result` a zip
 * holding `{job_id}.csv` (a header row of field API names, then one row per record, ordered by id).
 * Jobs are kept per org; a job of another org is 404 RESOURCE_NOT_FOUND.
 * https://www.zoho.com/crm/developer/docs/api/v8/bulk-read/overview.html
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { strToU8, zipSync } from 'fflate';
import type { ZohoContext } from './context.js';
import { dcPaths, prefixOf } from './datacentres.js';
import { sendZohoError } from './errors.js';
import { toZohoId, zohoTime } from './ids.js';
import { MODULES, fieldOf, moduleByApiName, readScopes, type ObjectType } from './modules.js';
import { fullRecord } from './serialize.js';

const PER_PAGE = 200_000;

interface Job { id: string; accountId: number; userId: number; type: ObjectType; fields: string[]; page: number; createdAt: number }

const csvCell = (value: unknown): string => {
  const text = value === null || value === undefined ? '' : typeof value === 'object' ? String((value as { id?: unknown }).id ?? '') : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function registerBulkReadRoutes(app: FastifyInstance, ctx: ZohoContext): void {
  const jobs = new Map<string, Job>();
  let next = 5_000_000_001;
  const scopes = () => ['ZohoCRM.bulk.READ', 'ZohoCRM.bulk.ALL'];
  const route = { config: { sandbox: { kind: 'bulk', scopes, limit: 'api' as const } } };
  const user = (ctxAccount: { users: { id: number; firstName: string; lastName: string }[] }, id: number) => {
    const u = ctxAccount.users.find((x) => x.id === id)!;
    return { id: toZohoId(u.id), name: `${u.firstName} ${u.lastName}` };
  };
  const rowsOf = (job: Job, account: FastifyRequest['sandbox']['account']) => {
    const coll = account.data.collections.get(job.type)!;
    const slots: number[] = [];
    for (let slot = 0; slot < coll.size; slot++) if (coll.isLive(slot)) slots.push(slot);
    slots.sort((a, b) => coll.ids[a]! - coll.ids[b]!);
    return { slots: slots.slice((job.page - 1) * PER_PAGE, job.page * PER_PAGE), total: slots.length };
  };
  const mine = (req: FastifyRequest<{ Params: { job_id: string } }>, reply: FastifyReply) => {
    const job = jobs.get(req.params.job_id);
    if (!job || job.accountId !== req.sandbox.token!.accountId) {
      void sendZohoError(reply, 404, 'RESOURCE_NOT_FOUND', 'the requested resource is not found', { param: 'job_id' });
      return undefined;
    }
    return job;
  };

  for (const path of dcPaths('/crm/bulk/v8/read')) app.post(path, route, async (req: FastifyRequest<{ Body: { query?: { module?: { api_name?: unknown }; fields?: unknown; page?: unknown } } }>, reply) => {
    const query = req.body?.query;
    const type = typeof query?.module?.api_name === 'string' ? moduleByApiName(query.module.api_name) : undefined;
    if (!type) return sendZohoError(reply, 400, 'INVALID_DATA', 'the module given is not supported', { api_name: 'module', json_path: '$.query.module' });
    const granted = req.sandbox.token!.scopes;
    if (!readScopes(type).some((s) => granted.includes(s))) return sendZohoError(reply, 401, 'OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL', {});
    const fields = Array.isArray(query!.fields) ? query!.fields.map(String) : MODULES[type].fields.map((f) => f.api_name);
    const unknown = fields.find((f) => f !== 'id' && !fieldOf(type, f));
    if (unknown) return sendZohoError(reply, 400, 'INVALID_DATA', 'invalid data', { api_name: unknown, json_path: '$.query.fields' });
    const page = query!.page === undefined ? 1 : Number(query!.page);
    if (!Number.isInteger(page) || page < 1) return sendZohoError(reply, 400, 'INVALID_DATA', 'invalid data', { api_name: 'page', json_path: '$.query.page' });
    const job: Job = { id: String(next++), accountId: req.sandbox.token!.accountId, userId: req.sandbox.token!.userId, type, fields: ['id', ...fields.filter((f) => f !== 'id')], page, createdAt: ctx.store.clock.now() };
    jobs.set(job.id, job);
    return reply.code(201).send({
      data: [{ status: 'success', code: 'ADDED_SUCCESSFULLY', message: 'Added successfully.', details: { id: job.id, operation: 'read', state: 'ADDED', created_by: user(req.sandbox.account, job.userId), created_time: zohoTime(job.createdAt) } }],
      info: {},
    });
  });

  for (const path of dcPaths('/crm/bulk/v8/read/:job_id')) app.get(path, route, async (req: FastifyRequest<{ Params: { job_id: string } }>, reply) => {
    const job = mine(req, reply);
    if (!job) return reply;
    const { slots, total } = rowsOf(job, req.sandbox.account);
    const location = ctx.orgs.get(job.accountId)?.location ?? 'us';
    return {
      data: [{
        id: job.id, operation: 'read', state: 'COMPLETED', file_type: 'csv', created_by: user(req.sandbox.account, job.userId), created_time: zohoTime(job.createdAt),
        query: { module: { api_name: MODULES[job.type].apiName }, fields: job.fields.filter((f) => f !== 'id'), page: job.page },
        result: { page: job.page, count: slots.length, per_page: PER_PAGE, more_records: job.page * PER_PAGE < total, download_url: `${prefixOf(location)}/crm/bulk/v8/read/${job.id}/result` },
      }],
    };
  });

  for (const path of dcPaths('/crm/bulk/v8/read/:job_id/result')) app.get(path, route, async (req: FastifyRequest<{ Params: { job_id: string } }>, reply) => {
    const job = mine(req, reply);
    if (!job) return reply;
    const { slots } = rowsOf(job, req.sandbox.account);
    const lines = [job.fields.join(',')];
    for (const slot of slots) {
      const record = fullRecord(req.sandbox.account, job.type, slot);
      lines.push(job.fields.map((f) => csvCell(record[f])).join(','));
    }
    const zip = zipSync({ [`${job.id}.csv`]: strToU8(`${lines.join('\n')}\n`) });
    return reply.type('application/zip').header('content-disposition', `attachment; filename="${job.id}.zip"`).send(Buffer.from(zip));
  });
}
