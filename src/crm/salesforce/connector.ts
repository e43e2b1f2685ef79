import { parse as parseCsv } from 'csv-parse/sync';
import type { ZodType } from 'zod';
import type { ConnectorDeps } from '../connector-module.js';
import type { Associations, CanonicalRecord, ConnectionCheck, Connector, FieldOption, ListCursor, RecordPage } from '../connector.js';
import { writeFields } from '../field-codec.js';
import { objectTypes, type ObjectType } from '../platforms.js';
import { ProviderError } from '../provider-error.js';
import { allocationMeter, allocationStop, readApiUsage, type ApiUsage } from './allocation.js';
import { BULK_JOBS_SPENT } from './errors.js';
import { salesforceField, type SalesforceDescribeField } from './field-types.js';
import { mapRecord, soqlDateTime, soqlString, toSalesforceValues, type SalesforceRecord } from './mapping.js';
import { bulkJob, contactRoles, describeResult, introspection, limitsResult, organization, queryResult, recordCounts, saveResults, userInfo } from './responses.js';
import { salesforceFields, salesforceLimits, salesforceObjects } from './spec.js';
import { soqlWhere } from './filters.js';

/**
 * Salesforce's requests, all on the connection's instance_url. A full listing pages by Id
 * (`WHERE Id > last ORDER BY Id LIMIT n`: no query locator to expire, resumable after a crash), n
 * between 200 and 2,000 rows: about a tenth of the object (record counts from one
 * `/limits/recordCount` request per run), so an object's progress is checkpointed in several steps
 * while a large one pages at the API's maximum. Changes are `queryAll … WHERE SystemModstamp >= since
 * ORDER BY SystemModstamp, Id` (2,000 rows a page, followed by `nextRecordsUrl`): the engine's overlap
 * window covers rows that commit after a query ran, and rows with IsDeleted = true are this page's
 * deletions (the recycle bin keeps them 15 days; a last sync older than that lists everything again).
 * Every field describe lists is selected, so custom fields arrive in `properties`. Deal ↔ contact links
 * are OpportunityContactRole rows, which change without moving the opportunity's SystemModstamp: a
 * changes listing of deals also reads roles changed since and lists those opportunities again.
 * Writes go through sObject Collections (200 per call).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm
 */
type Position = { after?: string; locator?: string; phase?: 'roles'; pending?: string[]; bulk?: { id: string; locator: string | null }; rest?: true };

/** CSV cells are text: numbers, booleans and empty cells (null) typed back from describe, as REST sends them. */
function typedRow(row: Record<string, string>, types: Map<string, string>): SalesforceRecord {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    const type = types.get(name);
    out[name] = type === 'boolean' ? value === 'true' : value === '' ? null : type === 'int' || type === 'double' || type === 'currency' || type === 'percent' ? Number(value) : value;
  }
  return out as SalesforceRecord;
}

export function salesforceConnector({ http: client, endpoints, currentToken, selection }: ConnectorDeps): Connector {
  const base = `/services/data/${salesforceLimits.apiVersion}`;
  // Sync work spends the org's allocation and stops short of it (allocation.ts); the connection
  // test only observes it, so it can still say how much is used.
  const { spending: http, observed } = allocationMeter(client);
  /** The allocation a /limits answer states: its Sforce-Limit-Info header, else its DailyApiRequests. */
  const usageOf = (headers: Headers, api: { Max: number; Remaining: number }): ApiUsage =>
    readApiUsage(headers.get(salesforceLimits.limitHeader)) ?? { used: api.Max - api.Remaining, max: api.Max };
  const fieldLists = new Map<ObjectType, Promise<string[]>>();
  const fieldTypes = new Map<ObjectType, Map<string, string>>();
  let counts: Promise<Map<string, number>> | null = null;

  /** Every queryable field of the object (describe), once per connector. */
  function fieldsOf(object: ObjectType): Promise<string[]> {
    let list = fieldLists.get(object);
    if (!list) {
      list = http('GET', `${base}/sobjects/${salesforceObjects[object].sobject}/describe`, { schema: describeResult }).then(({ data }) => {
        // Compound address and location fields cannot be selected in a SOQL query with others on every API.
        const selectable = data.fields.filter((f) => f.type !== 'address' && f.type !== 'location');
        fieldTypes.set(object, new Map(selectable.map((f) => [f.name, f.type])));
        const names = selectable.map((f) => f.name);
        return [...new Set([...salesforceObjects[object].required, ...names])];
      });
      list.catch(() => fieldLists.delete(object));
      fieldLists.set(object, list);
    }
    return list;
  }

  /** Record counts of all three objects in one request, shared by the run. */
  function countOf(object: ObjectType): Promise<number> {
    if (!counts) {
      const names = Object.values(salesforceObjects).map((o) => o.sobject).join(',');
      counts = http('GET', `${base}/limits/recordCount`, { query: { sObjects: names }, schema: recordCounts })
        .then(({ data }) => new Map(data.sObjects.map((row) => [row.name, row.count])));
      counts.catch(() => (counts = null));
    }
    return counts.then((map) => map.get(salesforceObjects[object].sobject) ?? 0);
  }

  const query = <T>(soql: string, schema: ZodType<T>, all = false) =>
    http<T>('GET', `${base}/${all ? 'queryAll' : 'query'}`, { query: { q: soql }, schema, label: `${base}/${all ? 'queryAll' : 'query'}` });
  const more = <T>(locator: string, schema: ZodType<T>) => http<T>('GET', locator, { schema, label: `${base}/query/{locator}` });

  /** Every row of a contact-role query, following its locators. */
  async function roleRows(soql: string, all = false) {
    const rows: { OpportunityId: string; ContactId: string | null }[] = [];
    let page = (await query(soql, contactRoles, all)).data;
    for (;;) {
      rows.push(...page.records);
      if (page.done || !page.nextRecordsUrl) return rows;
      page = (await more(page.nextRecordsUrl, contactRoles)).data;
    }
  }

  /**
   * Contacts of the given opportunities, from their live contact roles: one query over the Id range
   * of a full listing's page (its ids are consecutive there), else by `IN` lists.
   */
  async function rolesOf(opportunityIds: string[], consecutive: boolean): Promise<Map<string, Set<string>>> {
    const found = new Map<string, Set<string>>(opportunityIds.map((id) => [id, new Set()]));
    const add = (rows: { OpportunityId: string; ContactId: string | null }[]) => {
      for (const row of rows) if (row.ContactId) found.get(row.OpportunityId)?.add(row.ContactId);
    };
    if (opportunityIds.length === 0) return found;
    if (consecutive) {
      add(await roleRows(`SELECT OpportunityId, ContactId FROM OpportunityContactRole WHERE OpportunityId >= ${soqlString(opportunityIds[0]!)} AND OpportunityId <= ${soqlString(opportunityIds.at(-1)!)}`));
      return found;
    }
    for (let start = 0; start < opportunityIds.length; start += salesforceLimits.idsPerQuery) {
      const ids = opportunityIds.slice(start, start + salesforceLimits.idsPerQuery);
      add(await roleRows(`SELECT OpportunityId, ContactId FROM OpportunityContactRole WHERE OpportunityId IN (${ids.map(soqlString).join(',')})`));
    }
    return found;
  }

  /** Records with their associations: AccountId for contacts and deals, contact roles for deals. */
  async function withAssociations<O extends ObjectType>(object: O, records: SalesforceRecord[], consecutive = false) {
    const roles = object === 'deals' ? await rolesOf(records.map((r) => r.Id), consecutive) : null;
    return records.map((record) => {
      const account = typeof record.AccountId === 'string' ? [record.AccountId] : [];
      const associations: Associations = object === 'contacts' ? { companies: account } : object === 'deals' ? { companies: account, contacts: [...roles!.get(record.Id)!].sort() } : {};
      return mapRecord(object, record, associations);
    });
  }

  /** A selective-sync filter as the full listing's WHERE expression (filters.ts), null when it lists everything. */
  async function filterWhere(object: ObjectType, filter = selection?.filters[object]): Promise<string | null> {
    if (!filter || filter.conditions.length === 0) return null;
    await fieldsOf(object);
    const types = fieldTypes.get(object)!;
    return soqlWhere(filter, (field) => types.get(field));
  }

  async function fullPage<O extends ObjectType>(object: O, cursor: ListCursor, position: Position): Promise<RecordPage<O>> {
    if (position.bulk || (!position.after && !position.rest && (await countOf(object)) > salesforceLimits.bulkThreshold)) {
      const page = await bulkPage(object, cursor, position);
      if (page) return page;
    }
    const size = Math.min(salesforceLimits.queryBatchSize, Math.max(salesforceLimits.minPageSize, Math.ceil((await countOf(object)) / salesforceLimits.pagesPerObject)));
    const fields = (await fieldsOf(object)).join(', ');
    const filter = await filterWhere(object);
    const conditions = [filter && `(${filter})`, position.after && `Id > ${soqlString(position.after)}`].filter(Boolean);
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    const { data } = await query(`SELECT ${fields} FROM ${salesforceObjects[object].sobject}${where} ORDER BY Id LIMIT ${size}`, queryResult);
    const records = await withAssociations(object, data.records, true);
    const last = data.records.at(-1)?.Id;
    return { records, next: data.records.length === size && last ? { ...cursor, position: { after: last } } : null };
  }

  /**
   * A full listing through a Bulk API 2.0 query job: created, polled to JobComplete, then read as CSV
   * pages (`locator`, the string `null` after the last). A job that fails or is aborted falls back to
   * REST (null): the listing starts over by Id. A job gone on resume (deleted, expired) starts the
   * listing again (cursor_invalid).
   */
  async function bulkPage<O extends ObjectType>(object: O, cursor: ListCursor, position: Position): Promise<RecordPage<O> | null> {
    const fields = await fieldsOf(object);
    let job = position.bulk;
    if (!job) {
      try {
        const filter = await filterWhere(object);
        const soql = `SELECT ${fields.join(', ')} FROM ${salesforceObjects[object].sobject}${filter ? ` WHERE ${filter}` : ''}`;
        const { data } = await http('POST', `${base}/jobs/query`, { schema: bulkJob, body: { operation: 'query', query: soql } });
        job = { id: data.id, locator: null };
      } catch (error) {
        // No bulk jobs left today: the same listing through REST costs more requests, not a failed sync.
        if (error instanceof ProviderError && error.details.providerCode === BULK_JOBS_SPENT) return null;
        throw error;
      }
    }
    // A job with a locator was complete when its last page was read: only a new job is polled.
    for (let polls = 0; !job.locator; polls++) {
      const { data } = await http('GET', `${base}/jobs/query/${job.id}`, { schema: bulkJob, label: `${base}/jobs/query/{id}` });
      if (data.state === 'JobComplete') break;
      if (data.state === 'Failed' || data.state === 'Aborted') {
        await http('DELETE', `${base}/jobs/query/${job.id}`, { label: `${base}/jobs/query/{id}` }).catch(() => undefined);
        return null;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(salesforceLimits.bulkPollMaxMs, 250 * 2 ** polls)));
    }
    const { data: csv, headers } = await http<string>('GET', `${base}/jobs/query/${job.id}/results`, {
      text: { accept: 'text/csv' }, label: `${base}/jobs/query/{id}/results`,
      query: { maxRecords: salesforceLimits.bulkPageSize, locator: job.locator ?? undefined },
    });
    const types = fieldTypes.get(object)!;
    const rows = parseCsv(csv, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    // Salesforce promises no order for a job's rows; when a page's ids ascend, its contact roles are one range query.
    const records = await withAssociations(object, rows.map((row) => typedRow(row, types)), rows.every((row, i) => i === 0 || rows[i - 1]!.Id! < row.Id!));
    const next = headers.get('sforce-locator');
    if (next && next !== 'null') return { records, next: { ...cursor, position: { bulk: { id: job.id, locator: next } } } };
    await http('DELETE', `${base}/jobs/query/${job.id}`, { label: `${base}/jobs/query/{id}` }).catch(() => undefined);
    return { records, next: null };
  }

  async function changesPage<O extends ObjectType>(object: O, cursor: ListCursor, position: Position): Promise<RecordPage<O>> {
    if (Date.parse(cursor.since!) < Date.now() - salesforceLimits.recycleBinMs) {
      // Rows deleted before the recycle bin's reach are gone from queryAll: only a full listing
      // (whose sweep removes what it did not see) reconciles the ids.
      throw new ProviderError('cursor_invalid', `the last sync is older than Salesforce's ${salesforceLimits.recycleBinMs / 86_400_000}-day recycle bin, so deletions since then cannot be listed`);
    }
    const fields = (await fieldsOf(object)).join(', ');
    const { data } = position.locator
      ? await more(position.locator, queryResult)
      : await query(`SELECT ${fields} FROM ${salesforceObjects[object].sobject} WHERE SystemModstamp >= ${soqlDateTime(cursor.since!)} ORDER BY SystemModstamp, Id`, queryResult, true);
    const live = data.records.filter((record) => record.IsDeleted !== true);
    const deleted = data.records.filter((record) => record.IsDeleted === true).map((record) => record.Id);
    const records = await withAssociations(object, live);
    if (!data.done && data.nextRecordsUrl) return { records, deleted, next: { ...cursor, position: { locator: data.nextRecordsUrl } } };
    return { records, deleted, next: object === 'deals' ? { ...cursor, position: { phase: 'roles' } } : null };
  }

  /** Deals whose contact roles changed since the cursor's time (their own SystemModstamp did not move). */
  async function rolesPhase<O extends ObjectType>(object: O, cursor: ListCursor, position: Position): Promise<RecordPage<O>> {
    const pending = position.pending
      ?? [...new Set((await roleRows(`SELECT OpportunityId, ContactId FROM OpportunityContactRole WHERE SystemModstamp >= ${soqlDateTime(cursor.since!)}`, true)).map((row) => row.OpportunityId))].sort();
    if (pending.length === 0) return { records: [], next: null };
    const batch = pending.slice(0, salesforceLimits.idsPerQuery);
    const fields = await fieldsOf(object);
    const { data } = await query(`SELECT ${fields.join(', ')} FROM ${salesforceObjects[object].sobject} WHERE Id IN (${batch.map(soqlString).join(',')})`, queryResult);
    const rest = pending.slice(batch.length);
    return { records: await withAssociations(object, data.records), next: rest.length ? { ...cursor, position: { phase: 'roles', pending: rest } } : null };
  }

  async function save(method: 'POST' | 'PATCH', bodies: Record<string, unknown>[]): Promise<{ remoteId: string }[]> {
    const results: { remoteId: string }[] = [];
    for (let start = 0; start < bodies.length; start += salesforceLimits.collectionSize) {
      const records = bodies.slice(start, start + salesforceLimits.collectionSize);
      const { data } = await http('POST' === method ? 'POST' : 'PATCH', `${base}/composite/sobjects`, { schema: saveResults, body: { allOrNone: false, records } });
      data.forEach((row, i) => {
        if (!row.success || !row.id) {
          const error = row.errors[0];
          throw new ProviderError('invalid_request', `Salesforce refused record ${start + i + 1}: ${error ? `${error.statusCode}: ${error.message}` : 'no reason given'}`, { providerCode: error?.statusCode });
        }
        results.push({ remoteId: row.id });
      });
    }
    return results;
  }

  return {
    platform: 'salesforce',

    async countMatching(object, filter) {
      const where = await filterWhere(object, filter);
      // A count of part of the filter would overstate what syncs: only a whole one is counted.
      const whole = where !== null && filter.conditions.every((c) => soqlWhere({ match: 'all', conditions: [c] }, (field) => fieldTypes.get(object)!.get(field)) !== null);
      if (!whole) return null;
      const { data } = await query(`SELECT COUNT() FROM ${salesforceObjects[object].sobject} WHERE ${where}`, queryResult);
      return data.totalSize;
    },

    async listRecords(object, cursor) {
      const position = (cursor.position ?? {}) as Position;
      try {
        if (cursor.mode === 'full') return await fullPage(object, cursor, position);
        return await (position.phase === 'roles' ? rolesPhase(object, cursor, position) : changesPage(object, cursor, position));
      } catch (error) {
        // A locator expires after 15 minutes unused (or with its session): list the changes again.
        if ((position.locator || position.bulk) && error instanceof ProviderError && (error.code === 'cursor_invalid' || error.code === 'invalid_request' || error.code === 'not_found')) {
          throw new ProviderError('cursor_invalid', error.message, error.details);
        }
        throw error;
      }
    },

    async countRecords(object) {
      return countOf(object);
    },

    async readAssociations(object, remoteIds) {
      const result = new Map<string, Associations>(remoteIds.map((id) => [id, {}]));
      if (object === 'companies') return result;
      for (let start = 0; start < remoteIds.length; start += salesforceLimits.idsPerQuery) {
        const ids = remoteIds.slice(start, start + salesforceLimits.idsPerQuery);
        const { data } = await query(`SELECT Id, CreatedDate, SystemModstamp, AccountId FROM ${salesforceObjects[object].sobject} WHERE Id IN (${ids.map(soqlString).join(',')})`, queryResult);
        for (const record of await withAssociations(object, data.records)) result.set(record.remoteId, record.associations ?? {});
      }
      return result;
    },

    /**
     * The records as they are now, mapped as a listing maps them (associations too), by `Id IN (…)`
     * lists sized so the encoded query (every describe field plus the ids) stays below the 16 kB
     * request line; `query`, not `queryAll`, so an id not returned is deleted or gone.
     */
    async readRecords(object, remoteIds) {
      const fields = (await fieldsOf(object)).join(', ');
      const records: CanonicalRecord<typeof object>[] = [];
      const select = `SELECT ${fields} FROM ${salesforceObjects[object].sobject} WHERE Id IN ()`;
      // An id costs 27 encoded characters in the URL: 18 of its own, quotes and comma as %27 %27 %2C.
      const perQuery = Math.max(1, Math.min(salesforceLimits.idsPerQuery, Math.floor((salesforceLimits.queryUrlBudget - encodeURIComponent(select).length) / 27)));
      const wanted = [...new Set(remoteIds)];
      for (let start = 0; start < wanted.length; start += perQuery) {
        const ids = wanted.slice(start, start + perQuery);
        let page = (await query(`SELECT ${fields} FROM ${salesforceObjects[object].sobject} WHERE Id IN (${ids.map(soqlString).join(',')})`, queryResult)).data;
        const rows = [...page.records];
        while (!page.done && page.nextRecordsUrl) {
          page = (await more(page.nextRecordsUrl, queryResult)).data;
          rows.push(...page.records);
        }
        records.push(...await withAssociations(object, rows));
      }
      // Ids compare as Salesforce sends them: a 15-character id names the same record as its 18-character form.
      const found = new Set(records.map((record) => record.remoteId.slice(0, 15)));
      return { records, missing: remoteIds.filter((id) => !found.has(id.slice(0, 15))) };
    },

    async account() {
      // An authenticated REST call first, so a dead token takes the normal path (401 → refresh → reconnect).
      await observed('GET', `${base}/limits`, { schema: limitsResult });
      const { data } = await observed('GET', '/services/oauth2/userinfo', { schema: userInfo });
      const orgName = await organizationName();
      return { externalAccountId: data.organization_id, displayName: orgName ?? data.preferred_username ?? data.name ?? `Salesforce ${data.organization_id}`, grantedScopes: await grantedScopes() };
    },

    async quota() {
      const { data, headers } = await observed('GET', `${base}/limits`, { schema: limitsResult });
      const usage = usageOf(headers, data.DailyApiRequests);
      const quotas = [{ name: 'Requests in 24 h', used: usage.used, limit: usage.max, resetsAt: null }];
      if (data.DailyBulkV2QueryJobs) quotas.push({ name: 'Bulk query jobs in 24 h', used: data.DailyBulkV2QueryJobs.Max - data.DailyBulkV2QueryJobs.Remaining, limit: data.DailyBulkV2QueryJobs.Max, resetsAt: null });
      return quotas;
    },

    async fieldOptions() {
      const options: FieldOption[] = [];
      const wanted: { object: ObjectType; field: string }[] = [{ object: 'deals', field: 'stage' }, { object: 'companies', field: 'industry' }];
      for (const { object, field } of wanted) {
        const { data } = await http('GET', `${base}/sobjects/${salesforceObjects[object].sobject}/describe`, { schema: describeResult });
        const property = (salesforceFields[object] as Record<string, { property: string }>)[field]!.property;
        const values = (data.fields.find((f) => f.name === property)?.picklistValues ?? []) as { value: string; label: string; active?: boolean }[];
        values.filter((v) => v.active !== false).forEach((v, displayOrder) => options.push({ object, field, value: v.value, label: v.label, displayOrder }));
      }
      return options;
    },

    async describeFields(object) {
      const { data } = await http('GET', `${base}/sobjects/${salesforceObjects[object].sobject}/describe`, { schema: describeResult });
      return (data.fields as SalesforceDescribeField[]).map(salesforceField);
    },

    async checks() {
      const checks: ConnectionCheck[] = [];
      // account() answered, so the REST API is on for this org's edition (else API_DISABLED_FOR_ORG).
      checks.push({ id: 'api-access', label: 'API enabled for the edition', status: 'pass', message: 'The REST API answers for this org, so its edition includes API access.' });
      for (const object of objectTypes) {
        const sobject = salesforceObjects[object].sobject;
        const label = `Permission to query ${sobject}`;
        try {
          const { data } = await observed('GET', `${base}/sobjects/${sobject}/describe`, { schema: describeResult });
          checks.push(data.queryable
            ? { id: `object:${object}`, label, status: 'pass', message: `${sobject} records can be queried (${data.fields.length} fields visible).` }
            : { id: `object:${object}`, label, status: 'fail', message: `The connected user's profile cannot query ${sobject}. In Salesforce Setup, give the user Read access to ${sobject} (profile or permission set), then test again.` });
        } catch (error) {
          if (!(error instanceof ProviderError) || !['not_found', 'insufficient_scope'].includes(error.code)) throw error;
          checks.push({ id: `object:${object}`, label, status: 'fail', message: `The connected user cannot see ${sobject} at all (${error.message}). In Salesforce Setup, give the user Read access to ${sobject}, then test again.` });
        }
      }
      const { data, headers } = await observed('GET', `${base}/limits`, { schema: limitsResult });
      const usage = usageOf(headers, data.DailyApiRequests);
      const left = Math.max(0, usage.max - usage.used);
      const stop = allocationStop(usage);
      checks.push({
        id: 'allocation', label: 'Daily API allocation', status: left === 0 ? 'fail' : stop ? 'warn' : 'pass',
        message: left === 0
          ? `All ${usage.max.toLocaleString('en')} API requests of the org's rolling 24 hours are used: syncs stop until requests age out of the window. Other integrations of the org share this allocation; a Salesforce admin can buy more.`
          : stop ? `${stop} Syncs resume once usage is below that.`
            : `${usage.used.toLocaleString('en')} of ${usage.max.toLocaleString('en')} API requests used in the last 24 hours (${left.toLocaleString('en')} left, shared by every integration of the org; syncs pause at ${Math.round(salesforceLimits.allocationStopShare * 100)}%).`,
      });
      const bulk = data.DailyBulkV2QueryJobs;
      if (bulk) {
        checks.push({
          id: 'bulk-jobs', label: 'Bulk API query jobs left', status: bulk.Remaining === 0 ? 'warn' : 'pass',
          message: bulk.Remaining === 0
            ? `No Bulk API 2.0 query jobs left in the last 24 hours: large objects will list through REST instead, which spends more API requests.`
            : `${bulk.Remaining.toLocaleString('en')} of ${bulk.Max.toLocaleString('en')} Bulk API 2.0 query jobs left for first syncs of large objects.`,
        });
      }
      return checks;
    },

    async create(object, records) {
      const sobject = salesforceObjects[object].sobject;
      const defaults = salesforceObjects[object].createDefaults?.() ?? {};
      return save('POST', records.map((record) => ({ attributes: { type: sobject }, ...defaults, ...toSalesforceValues(writeFields(salesforceFields[object], record.fields)) })));
    },

    async update(object, records) {
      const sobject = salesforceObjects[object].sobject;
      return save('PATCH', records.map((record) => ({ attributes: { type: sobject }, Id: record.remoteId, ...toSalesforceValues(writeFields(salesforceFields[object], record.fields)) })));
    },

    async archive(_object, remoteIds) {
      for (let start = 0; start < remoteIds.length; start += salesforceLimits.collectionSize) {
        const ids = remoteIds.slice(start, start + salesforceLimits.collectionSize);
        const { data } = await http('DELETE', `${base}/composite/sobjects`, { query: { ids: ids.join(','), allOrNone: false }, schema: saveResults });
        // Already deleted is what we wanted.
        const failed = data.find((row) => !row.success && row.errors[0]?.statusCode !== 'ENTITY_IS_DELETED');
        if (failed) throw new ProviderError('invalid_request', `Salesforce did not delete ${failed.id}: ${failed.errors[0]?.message ?? 'no reason given'}`);
      }
    },

    async revoke(refreshToken, accessToken) {
      const token = refreshToken ?? accessToken;
      if (!token || !endpoints.revokeUrl) return;
      // Needs no access token (it may be the one that stopped working), so not through `http`.
      const response = await fetch(endpoints.revokeUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }), signal: AbortSignal.timeout(15_000) });
      await response.body?.cancel();
      if (!response.ok && response.status !== 400) throw new ProviderError('temporary', `Salesforce did not revoke the token (HTTP ${response.status}).`);
    },
  };

  /**
   * The org's name, as people call it (an integration is one org, not one user's email). Userinfo and
   * identity name only the user; the Organization object, one row readable by API users, names the org.
   * Null when this user may not read it: the user's name is shown instead.
   * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_organization.htm
   */
  async function organizationName(): Promise<string | null> {
    try {
      const { data } = await observed('GET', `${base}/query`, { query: { q: 'SELECT Name FROM Organization' }, schema: organization, label: `${base}/query` });
      return data.records[0]?.Name?.trim() || null;
    } catch (error) {
      if (error instanceof ProviderError && ['insufficient_scope', 'invalid_request', 'not_found'].includes(error.code)) return null;
      throw error;
    }
  }

  /** The scopes the access token holds, from token introspection (the connected app's credentials). */
  async function grantedScopes(): Promise<string[]> {
    try {
      const response = await fetch(new URL('/services/oauth2/introspect', endpoints.apiBaseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ token: await currentToken(), token_type_hint: 'access_token', client_id: endpoints.clientId, client_secret: endpoints.clientSecret }),
        signal: AbortSignal.timeout(15_000),
      });
      const parsed = introspection.safeParse(await response.json());
      return parsed.success && parsed.data.active ? (parsed.data.scope ?? '').split(' ').filter(Boolean) : [];
    } catch {
      return [];
    }
  }
}
