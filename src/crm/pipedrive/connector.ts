import type { ConnectorDeps } from '../connector-module.js';
import type { Associations, CanonicalRecord, Connector, DeletionPage, FieldOption, ListCursor, Quota, RecordPage } from '../connector.js';
import type { ObjectType } from '../platforms.js';
import { ProviderError } from '../provider-error.js';
import { budgetResetsAt } from './errors.js';
import { pipedriveListingParams } from './filters.js';
import { pipedriveField, type PipedriveFieldMeta } from './field-types.js';
import { mapAssociations, mapRecord, writeBody, type PipedriveRecord } from './mapping.js';
import { currentUser, deletedRecord, fieldList, namedList, recordList, writtenRecord } from './responses.js';
import { pipedriveLimits, pipedriveObjects } from './spec.js';

/**
 * Pipedrive API v2 (v1 list endpoints for these objects are retired). Full listing pages by id, 500
 * per page; changes list by `updated_since` sorted by update time; deleted deals are listed with
 * `status=deleted` (30 days back); persons and organizations have no deleted listing, so their
 * deletions come by webhook and a periodic full listing (module.ts). Links (`org_id`, `person_id`)
 * are fields of the records, so every page carries them. No batch writes: one record per call.
 * https://developers.pipedrive.com/docs/api/v1/Deals#getDeals (v2)
 */
export function pipedriveConnector({ http, endpoints, lastWindow, selection }: ConnectorDeps): Connector {
  let dailyBudget: { limit: number; remaining: number } | null = null;
  /**
   * The most one request was seen to cost, learned from how `remaining` drops between answers
   * (Pipedrive charges by endpoint: a v2 list 10 tokens, a get 1; answers of requests sent side by
   * side may drop by two costs at once, which only errs on the safe side). 1 until two answers tell.
   */
  let requestCost = 1;
  // Every answer says what is left of today's budget: kept for quota(), the connection test and `affords`.
  const observe = (headers: Headers) => {
    const limit = Number(headers.get(pipedriveLimits.headers.dailyLimit));
    const remaining = Number(headers.get(pipedriveLimits.headers.dailyRemaining));
    if (!(limit > 0 && Number.isFinite(remaining) && headers.get(pipedriveLimits.headers.dailyRemaining) !== null)) return;
    if (dailyBudget && dailyBudget.limit === limit && remaining < dailyBudget.remaining) requestCost = Math.max(requestCost, dailyBudget.remaining - remaining);
    dailyBudget = { limit, remaining };
  };
  /**
   * Refuses a request that would take the budget into its reserve: the run ends `partial` with the
   * reset time, and the next run resumes from its checkpoints. Before the first answer nothing is
   * known, so that one request goes unchecked.
   */
  const affords = () => {
    if (!dailyBudget) return;
    // Rounded down: a budget of a few tokens (only ever a test's) keeps none back.
    const reserve = Math.floor(dailyBudget.limit * pipedriveLimits.budgetReserveShare);
    if (dailyBudget.remaining - requestCost >= reserve) return;
    const kept = reserve > 0 ? `, ${reserve} of them kept in reserve for the company's own use` : '';
    throw new ProviderError('quota_exhausted',
      `Pipedrive's daily API token budget is nearly spent (${dailyBudget.remaining} of ${dailyBudget.limit} left${kept}). Syncing stops until it resets at ${budgetResetsAt()}.`);
  };
  /** A request of the sync (listings, labels, writes): checked against the budget first, its answer read for what is left. */
  const spend = async <T>(method: string, path: string, options: Parameters<typeof http<T>>[2] = {}) => {
    affords();
    const response = await http<T>(method, path, options);
    observe(response.headers);
    return response;
  };
  /** A request outside a sync's budget check (who am I, the connection test's quota read). */
  const get = async <T>(path: string, options: Parameters<typeof http<T>>[2] = {}) => {
    const response = await http<T>('GET', path, options);
    observe(response.headers);
    return response;
  };

  /** A full listing narrowed by the ids a selective-sync filter names (filters.ts); changes are never narrowed. */
  const fullListingParams = (object: ObjectType) => {
    const filter = selection?.filters[object];
    return (filter && pipedriveListingParams(object, filter)) ?? {};
  };

  async function page<O extends ObjectType>(object: O, cursor: ListCursor): Promise<RecordPage<O>> {
    const position = cursor.position as { cursor?: string } | undefined;
    const changes = cursor.mode === 'changes';
    const { data } = await spend('GET', `/api/v2/${pipedriveObjects[object].path}`, {
      schema: recordList,
      query: {
        limit: pipedriveLimits.pageSize,
        cursor: position?.cursor,
        ...(changes ? { updated_since: toRfc3339(cursor.since!), sort_by: 'update_time', sort_direction: 'asc' } : fullListingParams(object)),
      },
    });
    const records = (data.data ?? []).map((record) => mapRecord(object, record as PipedriveRecord));
    const next = data.additional_data?.next_cursor;
    return { records, next: next ? { ...cursor, position: { cursor: next } } : null };
  }

  /**
   * Up to 100 records by id in one request: the v2 list's `ids` filter (one list's cost, and no
   * `updated_since` index that trails writes). Ids Pipedrive does not hold live are left out.
   */
  async function listByIds(object: ObjectType, ids: string[]) {
    const { data } = await spend('GET', `/api/v2/${pipedriveObjects[object].path}`, { schema: recordList, query: { ids: ids.join(','), limit: pipedriveLimits.idsPerRequest } });
    return data.data ?? [];
  }

  return {
    platform: 'pipedrive',

    async listRecords(object, cursor) {
      try {
        return await page(object, cursor);
      } catch (error) {
        // A cursor Pipedrive no longer accepts answers 400: the saved position is no good, not the request.
        const resumed = (cursor.position as { cursor?: string } | undefined)?.cursor !== undefined;
        if (resumed && error instanceof ProviderError && error.code === 'invalid_request') throw new ProviderError('cursor_invalid', error.message, error.details);
        throw error;
      }
    },

    async listDeleted(object, position, since): Promise<DeletionPage> {
      if (object !== 'deals') return { remoteIds: [], next: null };
      const { data } = await spend('GET', '/api/v2/deals', {
        schema: recordList,
        query: { status: 'deleted', limit: pipedriveLimits.pageSize, cursor: (position as string | null) ?? undefined, ...(since ? { updated_since: toRfc3339(since) } : {}) },
      });
      return { remoteIds: (data.data ?? []).map((record) => String(record.id)), next: data.additional_data?.next_cursor ?? null };
    },

    // v2 lists carry no totals; counting would cost a listing.
    async countRecords() {
      return null;
    },

    async readAssociations(object, remoteIds) {
      const result = new Map<string, Associations>();
      if (Object.keys(pipedriveObjects[object].links).length === 0) {
        for (const id of remoteIds) result.set(id, {});
        return result;
      }
      for (const ids of chunks(remoteIds, pipedriveLimits.idsPerRequest)) {
        for (const record of await listByIds(object, ids)) result.set(String(record.id), mapAssociations(object, record));
      }
      return result;
    },

    async readRecords(object, remoteIds) {
      const records: CanonicalRecord<typeof object>[] = [];
      for (const ids of chunks(remoteIds, pipedriveLimits.idsPerRequest)) {
        for (const record of await listByIds(object, ids)) records.push(mapRecord(object, record as PipedriveRecord));
      }
      // The lists hold live records only (deals: neither deleted nor archived), so an id not returned is no longer live.
      const found = new Set(records.map((record) => record.remoteId));
      return { records, missing: remoteIds.filter((id) => !found.has(id)) };
    },

    async account() {
      const { data } = await get('/api/v1/users/me', { schema: currentUser });
      // Pipedrive has no endpoint that lists a token's scopes: the token response says them (oauth-flow.ts).
      return { externalAccountId: String(data.data.company_id), displayName: data.data.company_name, grantedScopes: [] };
    },

    async quota() {
      const quotas: Quota[] = [];
      if (!dailyBudget) await get('/api/v1/users/me', { schema: currentUser });
      const budget = dailyBudget as { limit: number; remaining: number } | null;
      if (budget) quotas.push({ name: 'API tokens today', used: budget.limit - budget.remaining, limit: budget.limit, resetsAt: budgetResetsAt() });
      const window = lastWindow();
      if (window) quotas.push({ name: `Requests per ${window.intervalMs / 1000} s`, used: window.max - window.remaining, limit: window.max, resetsAt: null });
      return quotas;
    },

    async fieldOptions() {
      const options: FieldOption[] = [];
      const { data: pipelines } = await spend('GET', '/api/v2/pipelines', { schema: namedList });
      for (const [i, p] of (pipelines.data ?? []).entries()) options.push({ object: 'deals', field: 'pipeline', value: String(p.id), label: p.name, displayOrder: p.order_nr ?? i });
      const { data: stages } = await spend('GET', '/api/v2/stages', { schema: namedList });
      for (const [i, s] of (stages.data ?? []).entries()) options.push({ object: 'deals', field: 'stage', value: String(s.id), label: s.name, displayOrder: s.order_nr ?? i });
      const { data: orgFields } = await spend('GET', '/api/v1/organizationFields', { schema: fieldList, query: { limit: 500 } });
      const industry = (orgFields.data ?? []).find((f) => f.key === 'industry');
      for (const [i, o] of (industry?.options ?? []).entries()) options.push({ object: 'companies', field: 'industry', value: String(o.id), label: o.label, displayOrder: i });
      return options;
    },

    async describeFields(object) {
      // v1 is where field metadata lives; 500 per page covers any account's fields in a request or two.
      const path = `/api/v1/${pipedriveObjects[object].entity}Fields`;
      const fields: PipedriveFieldMeta[] = [];
      for (let start: number | undefined = 0; start !== undefined;) {
        const page: { data: { data: unknown[] | null; additional_data?: unknown } } = await spend('GET', path, { schema: fieldList, query: { start, limit: 500 } });
        fields.push(...((page.data.data ?? []) as PipedriveFieldMeta[]));
        const pagination: { more_items_in_collection?: boolean; next_start?: number } | undefined = (page.data.additional_data as { pagination?: { more_items_in_collection?: boolean; next_start?: number } } | undefined)?.pagination;
        start = pagination?.more_items_in_collection ? pagination.next_start : undefined;
      }
      return fields.map(pipedriveField);
    },

    // One record per call (Pipedrive has no batch writes); the shared limiter keeps them within the burst.
    async create(object, records) {
      const results = [];
      for (const record of records) {
        const { data } = await spend('POST', `/api/v2/${pipedriveObjects[object].path}`, { schema: writtenRecord, body: writeBody(object, record.fields) });
        results.push({ remoteId: String(data.data.id) });
      }
      return results;
    },

    async update(object, records) {
      const results = [];
      for (const record of records) {
        const { data } = await spend('PATCH', `/api/v2/${pipedriveObjects[object].path}/${encodeURIComponent(record.remoteId)}`, {
          label: `/api/v2/${pipedriveObjects[object].path}/{id}`, schema: writtenRecord, body: writeBody(object, record.fields),
        });
        results.push({ remoteId: String(data.data.id) });
      }
      return results;
    },

    async archive(object, remoteIds) {
      for (const id of remoteIds) {
        await spend('DELETE', `/api/v2/${pipedriveObjects[object].path}/${encodeURIComponent(id)}`, { label: `/api/v2/${pipedriveObjects[object].path}/{id}`, schema: deletedRecord });
      }
    },

    async revoke(refreshToken) {
      if (!refreshToken || !endpoints.revokeUrl) return;
      // Client authentication is HTTP Basic, as at the token endpoint; no access token needed.
      const response = await fetch(endpoints.revokeUrl, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${endpoints.clientId}:${endpoints.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: refreshToken, token_type_hint: 'refresh_token' }),
        signal: AbortSignal.timeout(15_000),
      });
      await response.body?.cancel();
      if (!response.ok && response.status !== 404) throw new ProviderError('temporary', `Pipedrive did not revoke the token (HTTP ${response.status}).`);
    },
  };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/** RFC 3339 without fractions, as Pipedrive's filters take it (rounded down: nothing is skipped). */
function toRfc3339(iso: string): string {
  return new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
