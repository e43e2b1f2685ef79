/**
 * Bulk API 2.0 query jobs: create (`query` or `queryAll`), poll through the documented states
 * UploadComplete → InProgress → JobComplete (or Aborted / Failed), abort, delete, and the results as
 * CSV pages: `maxRecords` per page, `Sforce-Locator` naming the next page and the literal string
 * `null` on the last, `Sforce-NumberOfRecords`. Results before completion: 412 JOB_NOT_COMPLETE.
 * The query is checked when the job is created (which answers UploadComplete); the rows are then
 * scanned in the background, and a poll shows InProgress until the scan is done, then JobComplete.
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/queries.htm
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxAccount } from '../core/store.js';
import type { SalesforceContext } from './context.js';
import { sendSfError } from './errors.js';
import { selectForBulk, type BulkSelection } from './query.js';
import { sfDate } from './records.js';
import { api } from './rest-routes.js';
import { SoqlError } from './soql.js';
import { userIdOf } from './app.js';

type State = 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Aborted' | 'Failed';

interface BulkJob {
  id: string;
  accountId: number;
  operation: 'query' | 'queryAll';
  object: string;
  createdBy: number;
  created: number;
  modstamp: number;
  state: State;
  version: string;
  columns: string[];
  /** Set when the job's scan is done. */
  rows: BulkSelection | null;
}

const jobs = new WeakMap<SalesforceContext, Map<string, BulkJob>>();
const jobsOf = (ctx: SalesforceContext) => {
  let map = jobs.get(ctx);
  if (!map) jobs.set(ctx, (map = new Map()));
  return map;
};
let nextJob = 1;
const DAY_MS = 86_400_000;

/** Bulk query jobs the org created in the last 24 hours (the DailyBulkV2QueryJobs figure). */
export function bulkJobsToday(ctx: SalesforceContext, a: SandboxAccount): number {
  const since = ctx.store.clock.now() - DAY_MS;
  return [...jobsOf(ctx).values()].filter((j) => j.accountId === a.id && j.created > since).length;
}

function info(job: BulkJob) {
  return {
    id: job.id, operation: job.operation, object: job.object, createdById: userIdOf(job.createdBy), createdDate: sfDate(job.created), systemModstamp: sfDate(job.modstamp),
    state: job.state, concurrencyMode: 'Parallel', contentType: 'CSV', apiVersion: Number(job.version.slice(1)), jobType: 'V2Query', lineEnding: 'LF', columnDelimiter: 'COMMA',
    numberRecordsProcessed: job.state === 'JobComplete' ? job.rows!.size : 0, retries: 0, totalProcessingTime: job.state === 'JobComplete' ? 120 : 0, isPkChunkingSupported: true,
  };
}

const csvCell = (value: unknown) => {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? '' : String(value);
  return `"${text.replace(/"/g, '""')}"`;
};

/** A column's reader: a dotted one (`Account.Name`) reads the nested parent object. */
const cellReader = (column: string) => {
  const path = column.split('.');
  return (row: Record<string, unknown>) => path.reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : null), row);
};

export function registerBulkRoutes(app: FastifyInstance, ctx: SalesforceContext): void {
  const find = (req: FastifyRequest, reply: FastifyReply): BulkJob | undefined => {
    const job = jobsOf(ctx).get((req.params as { id: string }).id);
    if (!job || job.accountId !== req.sandbox.account.id) return void sendSfError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');
    return job;
  };

  app.post('/services/data/:version/jobs/query', api('bulk'), async (req, reply) => {
    const body = (req.body ?? {}) as { operation?: string; query?: string; columnDelimiter?: string; lineEnding?: string };
    if (body.operation !== 'query' && body.operation !== 'queryAll') return sendSfError(reply, 400, 'INVALIDJOB', 'InvalidJob : Invalid operation');
    if (!body.query) return sendSfError(reply, 400, 'INVALIDJOB', 'InvalidJob : query is required');
    if ((body.columnDelimiter && body.columnDelimiter !== 'COMMA') || (body.lineEnding && body.lineEnding !== 'LF')) return sendSfError(reply, 400, 'FEATURENOTENABLED', 'Only COMMA delimiters and LF line endings are emulated');
    const a = req.sandbox.account;
    if (bulkJobsToday(ctx, a) >= ctx.options.dailyBulkQueryJobs) return sendSfError(reply, 403, 'REQUEST_LIMIT_EXCEEDED', 'Max bulk v2 query jobs per 24 hrs exceeded');
    const version = (req.params as { version: string }).version;
    let scan;
    try {
      scan = selectForBulk(ctx, a, body.query, body.operation === 'queryAll');
    } catch (error) {
      if (error instanceof SoqlError) return sendSfError(reply, 400, 'INVALIDJOB', `InvalidJob : ${error.message}`);
      throw error;
    }
    const columns = body.query.replace(/^\s*select\s+/i, '').split(/\s+from\s+/i)[0]!.split(',').map((c) => c.trim());
    const object = /\bfrom\s+(\w+)/i.exec(body.query)![1]!;
    const now = ctx.store.clock.now();
    const job: BulkJob = {
      id: `750D0000000${String(nextJob++).padStart(4, '0')}IAM`, accountId: a.id, operation: body.operation, object, createdBy: req.sandbox.token!.userId,
      created: now, modstamp: now, state: 'UploadComplete', version, columns, rows: null,
    };
    jobsOf(ctx).set(job.id, job);
    scan().then((rows) => (job.rows = rows), (error) => {
      req.log.error({ err: error }, 'bulk query scan failed');
      job.state = 'Failed';
    });
    return info(job);
  });

  app.get('/services/data/:version/jobs/query', api('bulk'), async (req) => {
    const records = [...jobsOf(ctx).values()].filter((j) => j.accountId === req.sandbox.account.id).map(info);
    return { done: true, records, nextRecordsUrl: null };
  });

  app.get('/services/data/:version/jobs/query/:id', api('bulk'), async (req, reply) => {
    const job = find(req, reply);
    if (!job) return reply;
    if (job.state === 'UploadComplete' || job.state === 'InProgress') {
      const now: State = job.rows ? 'JobComplete' : 'InProgress';
      if (now !== job.state) job.modstamp = ctx.store.clock.now();
      job.state = now;
    }
    return info(job);
  });

  app.patch('/services/data/:version/jobs/query/:id', api('bulk'), async (req, reply) => {
    const job = find(req, reply);
    if (!job) return reply;
    if ((req.body as { state?: string } | undefined)?.state !== 'Aborted') return sendSfError(reply, 400, 'INVALIDJOBSTATE', 'InvalidJobState : only Aborted may be set on a query job');
    if (job.state === 'JobComplete' || job.state === 'Failed') return sendSfError(reply, 400, 'INVALIDJOBSTATE', `InvalidJobState : Job in state ${job.state} cannot be aborted`);
    job.state = 'Aborted';
    job.modstamp = ctx.store.clock.now();
    return info(job);
  });

  app.delete('/services/data/:version/jobs/query/:id', api('bulk'), async (req, reply) => {
    const job = find(req, reply);
    if (!job) return reply;
    if (job.state === 'UploadComplete' || job.state === 'InProgress') return sendSfError(reply, 400, 'INVALIDJOBSTATE', 'InvalidJobState : Job is still running; abort it first');
    jobsOf(ctx).delete(job.id);
    return reply.code(204).send();
  });

  app.get('/services/data/:version/jobs/query/:id/results', api('bulk'), async (req, reply) => {
    const job = find(req, reply);
    if (!job) return reply;
    if ((req.params as { version: string }).version !== job.version) return sendSfError(reply, 409, 'INVALIDJOB', 'InvalidJob : results must be read with the API version the job was created with');
    if (job.state !== 'JobComplete') return sendSfError(reply, 412, 'JOB_NOT_COMPLETE', `Job is not complete (state ${job.state})`);
    const rows = job.rows!;
    const q = req.query as { locator?: string; maxRecords?: string };
    const start = q.locator ? Number(Buffer.from(q.locator, 'base64url').toString()) : 0;
    if (!Number.isInteger(start) || start < 0 || start > rows.size) return sendSfError(reply, 400, 'INVALIDLOCATOR', 'Invalid locator');
    const max = q.maxRecords ? Math.max(1, Number(q.maxRecords)) : 50_000;
    const page = rows.page(start, max);
    const next = start + page.length;
    const cells = job.columns.map(cellReader);
    const csv = [job.columns.map((c) => `"${c}"`).join(','), ...page.map((row) => cells.map((read) => csvCell(read(row))).join(','))].join('\n') + '\n';
    return reply
      .header('Sforce-Locator', next < rows.size ? Buffer.from(String(next)).toString('base64url') : 'null')
      .header('Sforce-NumberOfRecords', String(page.length))
      .type('text/csv')
      .send(csv);
  });
}
