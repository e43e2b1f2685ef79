import { parse as parseCsv } from 'csv-parse/sync';
import { pages, perObject, type AdminCall, type BenchProfile, type World } from '../../bench/profile.js';
import { objectTypes, type ObjectType } from '../platforms.js';
import { salesforceLimits, salesforceObjects } from './spec.js';

/**
 * Salesforce in the sync bench. A full listing of an object above the Bulk threshold goes through
 * a Bulk API 2.0 query job (create, poll, CSV pages), smaller ones through REST queries of 2,000
 * rows; deal ↔ contact links are OpportunityContactRole rows, read 2,000 a page. Every listing first
 * reads the object's describe (custom fields are selected too). Salesforce has no burst window: the
 * limited scenario is a 10-licence Enterprise org's rolling 24-hour allocation.
 */
const base = `/services/data/${salesforceLimits.apiVersion}`;
const roles = (world: World) => world.links.deals.contacts ?? 0;
const describes = objectTypes.length;

/** REST: describe, then query pages of 2,000 per object; the contact roles 2,000 a page. */
const restMinimum = (world: World) => describes + perObject((object) => pages(world.counts[object], salesforceLimits.queryBatchSize))
  + pages(roles(world), salesforceLimits.queryBatchSize);

/** Bulk for large objects: create, one status poll and the CSV pages; REST for the rest; roles as above. */
const bulkMinimum = (world: World) => describes + perObject((object) => {
  const rows = world.counts[object];
  return rows > salesforceLimits.bulkThreshold ? 2 + pages(rows, salesforceLimits.bulkPageSize) : pages(rows, salesforceLimits.queryBatchSize);
}) + pages(roles(world), salesforceLimits.queryBatchSize);

async function json(url: string, token: string, init: RequestInit = {}): Promise<any> {
  const response = await fetch(url, { ...init, headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': 'application/json', ...init.headers } });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

/** Every row of a query, following nextRecordsUrl. */
async function queryAll(origin: string, token: string, soql: string): Promise<{ requests: number; rows: number }> {
  let page = await json(`${origin}${base}/query?q=${encodeURIComponent(soql)}`, token);
  let requests = 1;
  let rows = page.records.length;
  while (!page.done && page.nextRecordsUrl) {
    page = await json(`${origin}${page.nextRecordsUrl}`, token);
    requests++;
    rows += page.records.length;
  }
  return { requests, rows };
}

/** A Bulk API 2.0 query job read to its end, its CSV pages parsed. */
async function bulkRows(origin: string, token: string, soql: string): Promise<{ requests: number; rows: number }> {
  const job = await json(`${origin}${base}/jobs/query`, token, { method: 'POST', body: JSON.stringify({ operation: 'query', query: soql }) });
  let requests = 1;
  for (let polls = 0; ; polls++) {
    const status = await json(`${origin}${base}/jobs/query/${job.id}`, token);
    requests++;
    if (status.state === 'JobComplete') break;
    if (status.state === 'Failed' || status.state === 'Aborted') throw new Error(`the bulk job for "${soql.slice(0, 60)}…" ended ${status.state}`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(salesforceLimits.bulkPollMaxMs, 250 * 2 ** polls)));
  }
  let rows = 0;
  let locator: string | null = null;
  do {
    const query: URLSearchParams = new URLSearchParams({ maxRecords: String(salesforceLimits.bulkPageSize), ...(locator ? { locator } : {}) });
    const response: Response = await fetch(`${origin}${base}/jobs/query/${job.id}/results?${query}`, { headers: { authorization: `Bearer ${token}`, accept: 'text/csv' } });
    rows += (parseCsv(await response.text(), { columns: true, skip_empty_lines: true }) as unknown[]).length;
    requests++;
    locator = response.headers.get('sforce-locator');
  } while (locator && locator !== 'null');
  return { requests, rows };
}

async function selectableFields(origin: string, token: string, object: ObjectType): Promise<string[]> {
  const { fields } = await json(`${origin}${base}/sobjects/${salesforceObjects[object].sobject}/describe`, token) as { fields: { name: string; type: string }[] };
  return [...new Set([...salesforceObjects[object].required, ...fields.filter((f) => f.type !== 'address' && f.type !== 'location').map((f) => f.name)])];
}

/** An org whose Bulk API query jobs for the day are spent: every job creation is refused. */
async function withoutBulkJobs(admin: AdminCall): Promise<void> {
  await admin('PUT', '/_sandbox/settings', { dailyBulkQueryJobs: 0 });
}

export const salesforceBench: BenchProfile = {
  minimumRequests: bulkMinimum,

  // Per object its describe (the fields to select) and one queryAll page per 2,000 changes; the changed
  // deals' contact roles, 200 ids a query; then the contact-role phase: one query of changed roles, one of their deals.
  incrementalMaxRequests: (changes) => describes + perObject((object) => {
    const { creates, updates, deletes } = changes[object];
    return pages(creates + updates + deletes, salesforceLimits.queryBatchSize);
  }) + pages(changes.deals.creates + changes.deals.updates, salesforceLimits.idsPerQuery) + 2,

  incrementalRule: 'per object its describe and one queryAll page per 2,000 changes; one contact-role query per 200 changed deals, and 2 for the contact-role phase',

  async fetchCeiling(origin, token) {
    const sizes = new Map(((await json(`${origin}${base}/limits/recordCount?sObjects=${objectTypes.map((o) => salesforceObjects[o].sobject).join(',')}`, token)).sObjects as { name: string; count: number }[]).map((row) => [row.name, row.count]));
    let requests = 1;
    let records = 0;
    await Promise.all([
      ...objectTypes.map(async (object) => {
        const sobject = salesforceObjects[object].sobject;
        const fields = await selectableFields(origin, token, object);
        const soql = `SELECT ${fields.join(', ')} FROM ${sobject}`;
        const read = (sizes.get(sobject) ?? 0) > salesforceLimits.bulkThreshold ? await bulkRows(origin, token, soql) : await queryAll(origin, token, soql);
        requests += 1 + read.requests;
        records += read.rows;
      }),
      queryAll(origin, token, 'SELECT OpportunityId, ContactId FROM OpportunityContactRole').then((read) => { requests += read.requests; }),
    ]);
    return { requests, records, checkMs: 0 };
  },

  limited: { tier: 'enterprise', label: 'Enterprise org, 10 licences (110,000 requests / 24 h)' },

  variants: [{ label: 'REST only (no Bulk API jobs left)', prepare: withoutBulkJobs, minimumRequests: restMinimum }],

  notes: [
    `Salesforce: objects above ${salesforceLimits.bulkThreshold.toLocaleString('en')} rows are listed by a Bulk API 2.0 query job (CSV pages of ${salesforceLimits.bulkPageSize.toLocaleString('en')}), smaller ones by REST queries of ${salesforceLimits.queryBatchSize.toLocaleString('en')}; the minimum counts each object's describe, each job's creation and one status poll, its CSV pages, and the contact-role rows (deal ↔ contact links) at 2,000 a page.`,
    'Beyond that minimum a full sync reads the record counts once (which listing to use, and the progress bar), polls a job while it runs, deletes each finished job, and reads the contact roles page by page of deals rather than in one sweep.',
    'The REST-only run is the same sync when the org has no Bulk API jobs left today: the emulator refuses every job creation, and the connector lists by REST.',
  ],
};
