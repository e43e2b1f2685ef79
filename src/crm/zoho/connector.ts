import type { ConnectorDeps } from '../connector-module.js';
import type { Associations, CanonicalRecord, ConnectionCheck, Connector, DeletionPage, FieldOption, ListCursor, Quota, RecordPage, WriteResult } from '../connector.js';
import { writeFields } from '../field-codec.js';
import type { ObjectType } from '../platforms.js';
import { platforms } from '../platforms.js';
import { ProviderError } from '../provider-error.js';
import { zohoField, type ZohoFieldMeta } from './field-types.js';
import { mapAssociations, mapRecord } from './mapping.js';
import { filterFields } from '../record-filter.js';
import { currentUser, deletedPage, fieldsMetadata, lookupsPage, orgDetails, recordCount, recordPage, recordsById, writeResults, type WriteRow } from './responses.js';
import { dataCentreOf, orgLimits, zohoFields, zohoLimits, zohoModules } from './spec.js';

/**
 * Zoho CRM's requests. A full listing walks the module by id with `page_token` (200 a page); a module
 * past what one token chain reaches (100,000 records) is walked instead in windows on Modified_Time
 * (`If-Modified-Since`, sorted by Modified_Time), each window a new chain from the newest time seen.
 * Changes are such a window from the engine's `since`; deletions come from `/{module}/deleted`.
 * Records a notification named are read by id: the listing's request with `ids=` (100 a call).
 * https://www.zoho.com/crm/developer/docs/api/v8/get-records.html
 */
type Position =
  | { by: 'id'; token?: string }
  | { by: 'modified'; since: string; token?: string; served: number; newest?: string };

export function zohoConnector({ http, endpoints, baseUrl, limits, selection }: ConnectorDeps): Connector {
  const base = (object: ObjectType) => `/crm/v8/${zohoModules[object].module}`;
  /** What a listing asks for: the module's fields and those the object's selective-sync filter reads (the engine evaluates it). */
  const fieldsOf = (object: ObjectType) => [...new Set([...zohoModules[object].fields, ...(selection?.properties[object] ?? []), ...filterFields(selection?.filters[object])])].join(',');

  /** The org, read once: its edition and licenses set the credits and concurrency the engine keeps to. */
  let org: Promise<ReturnType<typeof orgDetails.parse>['org'][number]> | null = null;
  const readOrg = () => {
    org ??= http('GET', '/crm/v8/org', { schema: orgDetails }).then(({ data }) => {
      const details = data.org[0]!;
      const { creditsPer24h, concurrency } = orgLimits(details.license_details);
      limits?.learn({ creditsPer24h, concurrency });
      return details;
    });
    org.catch(() => (org = null));
    return org;
  };
  /** Before a sync's calls: the org's limits known (one call per connector). */
  const limitsKnown = async () => {
    if (limits && !limits.known()) await readOrg();
  };

  async function page<O extends ObjectType>(object: O, cursor: ListCursor, position: Position): Promise<RecordPage<O>> {
    const spec = zohoModules[object];
    const modified = position.by === 'modified';
    const { data } = await http('GET', base(object), {
      schema: recordPage,
      headers: modified && !position.token ? { 'If-Modified-Since': position.since } : undefined,
      query: {
        fields: fieldsOf(object), per_page: zohoLimits.pageSize,
        sort_by: modified ? 'Modified_Time' : 'id', sort_order: 'asc', page_token: position.token,
      },
    });
    if (!data) return { records: [], next: null };
    const records = data.data.map((record) => mapRecord(object, record));
    const token = data.info.more_records ? data.info.next_page_token ?? null : null;
    if (!token) return { records, next: null };
    if (!modified) return { records, next: { ...cursor, position: { by: 'id', token } satisfies Position } };
    const served = position.served + records.length;
    const newest = maxOf([position.newest ?? null, ...records.map((r) => r.remoteUpdatedAt)]) ?? position.since;
    if (served + zohoLimits.pageSize <= zohoLimits.tokenReach) {
      return { records, next: { ...cursor, position: { ...position, token, served, newest } satisfies Position } };
    }
    // One token chain reaches 100,000 records: a new window from the newest time seen (ties re-read).
    if (Date.parse(newest) <= Date.parse(position.since)) {
      throw new ProviderError('cursor_invalid', `more than ${zohoLimits.tokenReach} Zoho ${spec.module} share the modification time ${position.since}`);
    }
    return { records, next: { ...cursor, position: { by: 'modified', since: newest, served: 0 } satisfies Position } };
  }

  async function rowsOrThrow(rows: WriteRow[], what: string): Promise<WriteRow[]> {
    const failed = rows.find((row) => row.status !== 'success');
    if (failed) throw new ProviderError('invalid_request', `Zoho CRM refused to ${what}: ${failed.code}: ${failed.message ?? ''} ${JSON.stringify(failed.details ?? {})}`);
    return rows;
  }

  const inBatches = async <T, R>(items: T[], work: (batch: T[]) => Promise<R[]>): Promise<R[]> => {
    const out: R[] = [];
    for (let i = 0; i < items.length; i += zohoLimits.writeBatch) out.push(...(await work(items.slice(i, i + zohoLimits.writeBatch))));
    return out;
  };

  return {
    platform: 'zoho',

    async listRecords(object, cursor) {
      await limitsKnown();
      let position = cursor.position as Position | undefined;
      if (!position) {
        if (cursor.mode === 'changes') position = { by: 'modified', since: cursor.since!, served: 0 };
        else {
          // Past one token chain's reach, only Modified_Time windows see every record.
          const count = await this.countRecords(object);
          position = count !== null && count > zohoLimits.tokenReach ? { by: 'modified', since: zohoLimits.epoch, served: 0 } : { by: 'id' };
        }
      }
      try {
        return await page(object, cursor, position);
      } catch (error) {
        // A page token Zoho no longer takes (expired after a day, or garbled) is a position, not a request, gone bad.
        if (position.token && error instanceof ProviderError && error.code === 'invalid_request') throw new ProviderError('cursor_invalid', error.message, error.details);
        throw error;
      }
    },

    async listDeleted(object, position, since): Promise<DeletionPage> {
      await limitsKnown();
      const pageNo = (position as number | null) ?? 1;
      const { data } = await http('GET', `${base(object)}/deleted`, {
        schema: deletedPage,
        headers: since ? { 'If-Modified-Since': since } : undefined,
        query: { type: 'all', page: pageNo, per_page: zohoLimits.pageSize },
      });
      if (!data) return { remoteIds: [], next: null };
      return { remoteIds: data.data.map((row) => row.id), next: data.info.more_records ? pageNo + 1 : null };
    },

    async countRecords(object) {
      await limitsKnown();
      const { data } = await http('GET', `${base(object)}/actions/count`, { schema: recordCount });
      return data.count;
    },

    async readRecords(object, remoteIds) {
      await limitsKnown();
      // The listing's own request narrowed by `ids=` (100 a call): the same fields, mapped the same
      // way, lookups included. Ids Zoho no longer holds live are simply not in the answer.
      const records: CanonicalRecord<typeof object>[] = [];
      await inBatches(remoteIds, async (batch) => {
        const { data } = await http('GET', base(object), { schema: recordsById, query: { ids: batch.join(','), fields: fieldsOf(object) } });
        for (const record of data?.data ?? []) records.push(mapRecord(object, record));
        return [];
      });
      const found = new Set(records.map((record) => record.remoteId));
      return { records, missing: remoteIds.filter((id) => !found.has(id)) };
    },

    async readAssociations(object, remoteIds) {
      const result = new Map<string, Associations>(remoteIds.map((id) => [id, {}]));
      const lookups = Object.values(zohoModules[object].lookups);
      if (lookups.length === 0) return result;
      await inBatches(remoteIds, async (batch) => {
        const { data } = await http('GET', base(object), { schema: lookupsPage, query: { ids: batch.join(','), fields: lookups.join(',') } });
        for (const record of data?.data ?? []) result.set(record.id, mapAssociations(object, record));
        return [];
      });
      return result;
    },

    async account() {
      // Zoho has no token introspection: what the grant may read is learnt by asking (a count per
      // module, the user, the org); a refusal for lack of scope leaves that scope out.
      const granted: string[] = [];
      const scopes = platforms.zoho.scopes;
      const probe = async (scope: string | undefined, call: () => Promise<unknown>) => {
        try {
          await call();
          if (scope) granted.push(scope);
        } catch (error) {
          if (!(error instanceof ProviderError && error.code === 'insufficient_scope')) throw error;
        }
      };
      const { data: user } = await http('GET', '/crm/v8/users', { schema: currentUser, query: { type: 'CurrentUser' } });
      granted.push('ZohoCRM.users.READ');
      const details = await readOrg();
      granted.push('ZohoCRM.org.READ');
      for (const object of ['contacts', 'companies', 'deals'] as const) {
        await probe(scopes.find((s) => s.reads?.includes(object))?.name, () => this.countRecords(object));
      }
      const name = details.company_name ?? user.users[0]!.email ?? `Zoho CRM ${details.id}`;
      // Where the org lives, for the connection test to show (the sandbox's origin names none).
      const dc = dataCentreOf(baseUrl);
      const edition = details.license_details?.paid_type;
      return { externalAccountId: details.id, displayName: [name, dc && `${dc} data centre`, edition && `${edition} edition`].filter(Boolean).join(', '), grantedScopes: granted };
    },

    async quota() {
      // Zoho publishes no usage figures through the API: the allocation follows from the edition and
      // user licenses, and what is used is Pulse's own count of the credits its calls cost (other
      // apps on the org spend from the same allocation unseen). Concurrency is a cap, not a use.
      const details = await readOrg();
      const { creditsPer24h, concurrency } = orgLimits(details.license_details);
      const quotas: Quota[] = [];
      if (creditsPer24h !== null) quotas.push({ name: 'API credits per 24 h', used: (await limits?.creditsUsed()) ?? null, limit: creditsPer24h, resetsAt: null });
      return quotas;
    },

    async checks() {
      // Where the org lives and what its edition allows, in words: the connection test's quota check
      // shows the credits used of the allocation; concurrency is a cap, not something used up.
      const details = await readOrg();
      const { edition, creditsPer24h, concurrency } = orgLimits(details.license_details);
      const used = await limits?.creditsUsed() ?? null;
      const dc = dataCentreOf(baseUrl) ?? 'the sandbox\'s';
      const checks: ConnectionCheck[] = [{
        id: 'org', label: 'Data centre and organization', status: 'pass',
        message: `${details.company_name ?? details.id} (${details.id}) lives in ${dc} data centre, on the ${edition ?? 'unknown'} edition.`,
      }];
      checks.push(creditsPer24h === null
        ? { id: 'credits', label: 'API credits', status: 'warn', message: `The ${edition ?? 'unknown'} edition is not one Pulse knows the credit allocation of, so Pulse does not stop a sync before the credits run out.` }
        : { id: 'credits', label: 'API credits', status: 'pass',
          message: `Pulse has spent ${(used ?? 0).toLocaleString('en')} credits in the last 24 hours; ${Math.max(0, creditsPer24h - (used ?? 0)).toLocaleString('en')} of ${creditsPer24h.toLocaleString('en')} remain by Pulse's count (other apps on this org spend from the same allocation). A sync stops as partial before spending the last of them.` });
      checks.push({
        id: 'concurrency', label: 'Concurrent requests', status: 'pass',
        message: concurrency === null ? 'No concurrency cap is known for this edition.' : `At most ${concurrency} requests at once for this edition; Pulse keeps every worker together under it.`,
      });
      return checks;
    },

    async fieldOptions() {
      const options: FieldOption[] = [];
      const labelled: [ObjectType, string, string][] = [['deals', 'stage', 'Stage'], ['deals', 'pipeline', 'Pipeline'], ['companies', 'industry', 'Industry']];
      for (const module of [...new Set(labelled.map(([object]) => object))]) {
        const { data } = await http('GET', '/crm/v8/settings/fields', { schema: fieldsMetadata, query: { module: zohoModules[module].module } });
        for (const [object, field, apiName] of labelled.filter(([o]) => o === module)) {
          const values = data.fields.find((f) => f.api_name === apiName)?.pick_list_values ?? [];
          values.forEach((v, i) => options.push({ object, field, value: v.actual_value, label: v.display_value, displayOrder: i }));
        }
      }
      return options;
    },

    async describeFields(object) {
      const { data } = await http('GET', '/crm/v8/settings/fields', { schema: fieldsMetadata, query: { module: zohoModules[object].module } });
      return (data.fields as unknown as ZohoFieldMeta[]).map(zohoField);
    },

    async create(object, records) {
      return inBatches(records, async (batch): Promise<WriteResult[]> => {
        const { data } = await http('POST', base(object), { schema: writeResults, body: { data: batch.map((r) => writeFields(zohoFields[object], r.fields)) } });
        return (await rowsOrThrow(data.data, `create ${object}`)).map((row) => ({ remoteId: row.details!.id! }));
      });
    },

    async update(object, records) {
      return inBatches(records, async (batch): Promise<WriteResult[]> => {
        const { data } = await http('PUT', base(object), { schema: writeResults, body: { data: batch.map((r) => ({ id: r.remoteId, ...writeFields(zohoFields[object], r.fields) })) } });
        return (await rowsOrThrow(data.data, `update ${object}`)).map((row, i) => ({ remoteId: row.details?.id ?? batch[i]!.remoteId }));
      });
    },

    async archive(object, remoteIds) {
      await inBatches(remoteIds, async (batch) => {
        // Deleting moves records to Zoho's recycle bin (restorable for 60 days), Zoho's archive.
        const { data } = await http('DELETE', base(object), { schema: writeResults, query: { ids: batch.join(',') } });
        return rowsOrThrow(data.data, `delete ${object}`);
      });
    },

    async revoke(refreshToken) {
      if (!refreshToken || !endpoints.revokeUrl) return;
      // Needs no access token (it may be the one that stopped working), so not through `http`.
      const url = new URL(endpoints.revokeUrl);
      url.searchParams.set('token', refreshToken);
      const response = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(15_000) });
      await response.body?.cancel();
      if (!response.ok) throw new ProviderError('temporary', `Zoho CRM did not revoke the token (HTTP ${response.status}).`);
    },
  };
}

function maxOf(values: (string | null)[]): string | null {
  let max: string | null = null;
  for (const value of values) if (value && (!max || Date.parse(value) > Date.parse(max))) max = value;
  return max;
}
