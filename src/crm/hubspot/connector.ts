import type { ConnectorDeps } from '../connector-module.js';
import type { Associations, CanonicalRecord, Connector, DeletionPage, ListCursor, Quota, RecordPage } from '../connector.js';
import type { ObjectType } from '../platforms.js';
import { ProviderError } from '../provider-error.js';
import { hubspotField, type HubspotProperty } from './field-types.js';
import { labelledProperties, pipelineOptions, propertyOptions, type HubspotPipeline } from './field-options.js';
import { writeFields } from '../field-codec.js';
import { compareIds, mapRecord } from './mapping.js';
import { accessTokenInfo, accountDetails, associationBatch, batchRead, recordList, searchResults, searchTotal, writtenRecords } from './responses.js';
import { hubspotFields, hubspotLimits, hubspotObjects } from './spec.js';
import { filterFields } from '../record-filter.js';
import { hubspotFilterGroups, type HubspotFilter } from './filters.js';

/**
 * HubSpot's requests. Full listing pages the list endpoint (100 per page, associations inline);
 * changes come from search on the modified-time property (200 per page, a new time window every
 * 10,000 results); deletions are the archived listing. https://developers.hubspot.com/docs/api/crm/contacts
 * A full listing of an object with a selective-sync filter is a search with the filter's groups
 * (filters.ts), paged the same way by time windows from the epoch; changes are never filtered here.
 */
export function hubspotConnector({ http, endpoints, currentToken, lastWindow, selection }: ConnectorDeps): Connector {
  /** The field table's properties, those the integration's custom mappings read and those its filter reads (HubSpot sends only what is asked for). */
  const propertiesOf = (object: ObjectType) => [...new Set([...hubspotObjects[object].properties, ...(selection?.properties[object] ?? []), ...filterFields(selection?.filters[object])])];
  /** The pushed-down groups of a full listing, or null when it lists everything. */
  const fullListingGroups = (object: ObjectType): HubspotFilter[][] | null => {
    const filter = selection?.filters[object];
    if (!filter || filter.conditions.length === 0) return null;
    const translated = hubspotFilterGroups(filter);
    return 'groups' in translated ? translated.groups : null;
  };

  async function listPage<O extends ObjectType>(object: O, after: string | undefined): Promise<RecordPage<O>> {
    const spec = hubspotObjects[object];
    const { data } = await http('GET', `/crm/v3/objects/${spec.path}`, {
      schema: recordList,
      query: {
        limit: hubspotLimits.listPageSize,
        archived: false,
        properties: propertiesOf(object).join(','),
        associations: spec.associations.length ? spec.associations.join(',') : undefined,
        after,
      },
    });
    const records = data.results.map((record) => mapRecord(object, record, true));
    const next = data.paging?.next?.after;
    return { records, next: next ? { mode: 'full', position: { after: next } } : null };
  }

  async function searchPage<O extends ObjectType>(object: O, cursor: ListCursor, groups: HubspotFilter[][] = [[]]): Promise<RecordPage<O>> {
    const spec = hubspotObjects[object];
    const position = (cursor.position ?? {}) as { after?: string; windowSince?: string };
    const windowSince = position.windowSince ?? cursor.since ?? new Date(0).toISOString();
    const window = { propertyName: spec.modifiedProperty, operator: 'GTE', value: String(Date.parse(windowSince)) };
    const { data } = await http('POST', `/crm/v3/objects/${spec.path}/search`, {
      bucket: 'search',
      schema: searchResults,
      body: {
        filterGroups: groups.map((filters) => ({ filters: [...filters, window] })),
        sorts: [{ propertyName: spec.modifiedProperty, direction: 'ASCENDING' }],
        properties: propertiesOf(object),
        limit: hubspotLimits.searchPageSize,
        after: position.after,
      },
    });
    const records = data.results.map((record) => mapRecord(object, record, false));
    const maxUpdatedAt = maxOf(records.map((r) => r.remoteUpdatedAt));
    const after = data.paging?.next?.after;
    if (!after) return { records, next: null };
    if (Number(after) + hubspotLimits.searchPageSize <= hubspotLimits.searchResultCap) {
      return { records, next: { ...cursor, position: { after, windowSince } } };
    }
    // Search cannot page past 10,000 results: continue with a new query from the newest time seen.
    if (!maxUpdatedAt || maxUpdatedAt === windowSince) {
      throw new ProviderError('cursor_invalid', `more than ${hubspotLimits.searchResultCap} HubSpot ${object} share the modification time ${windowSince}, past what search can page`);
    }
    return { records, next: { ...cursor, position: { windowSince: maxUpdatedAt } } };
  }

  return {
    platform: 'hubspot',

    async listRecords(object, cursor) {
      try {
        const groups = cursor.mode === 'full' ? fullListingGroups(object) : null;
        if (groups) return await searchPage(object, cursor, groups);
        return await (cursor.mode === 'full' ? listPage(object, (cursor.position as { after?: string } | undefined)?.after) : searchPage(object, cursor));
      } catch (error) {
        // HubSpot answers 400 to an `after` it does not accept (garbled, or past search's 10,000 cap):
        // a saved position from an older run is no good, not the request.
        const resumed = (cursor.position as { after?: string } | undefined)?.after !== undefined;
        if (resumed && error instanceof ProviderError && error.code === 'invalid_request') throw new ProviderError('cursor_invalid', error.message, error.details);
        throw error;
      }
    },

    async listDeleted(object, position, since): Promise<DeletionPage> {
      const { data } = await http('GET', `/crm/v3/objects/${hubspotObjects[object].path}`, {
        schema: recordList,
        query: { limit: hubspotLimits.listPageSize, archived: true, properties: 'hs_object_id', after: (position as string | null) ?? undefined },
      });
      const sinceMs = since ? Date.parse(since) : -Infinity;
      const remoteIds = data.results.filter((r) => !r.archivedAt || Date.parse(r.archivedAt) >= sinceMs).map((r) => String(r.id));
      return { remoteIds, next: data.paging?.next?.after ?? null };
    },

    async readRecords(object, remoteIds) {
      const spec = hubspotObjects[object];
      const records: CanonicalRecord<typeof object>[] = [];
      const found = new Set<string>();
      for (let start = 0; start < remoteIds.length; start += hubspotLimits.readBatchSize) {
        // Ids HubSpot no longer holds live come back as errors of a 207 answer, not as a failure.
        const { data } = await http('POST', `/crm/v3/objects/${spec.path}/batch/read`, {
          schema: batchRead,
          body: { inputs: remoteIds.slice(start, start + hubspotLimits.readBatchSize).map((id) => ({ id })), properties: propertiesOf(object) },
        });
        for (const record of data.results) {
          records.push(mapRecord(object, record, false));
          found.add(String(record.id));
        }
      }
      return { records, missing: remoteIds.filter((id) => !found.has(id)) };
    },

    async countRecords(object) {
      // One search request with no filter answers with the total; HubSpot has no cheaper count.
      const { data } = await http('POST', `/crm/v3/objects/${hubspotObjects[object].path}/search`, {
        bucket: 'search', schema: searchTotal, body: { limit: 1, properties: ['hs_object_id'] },
      });
      return data.total;
    },

    async countMatching(object, filter) {
      const translated = hubspotFilterGroups(filter);
      // Only a filter search applies whole is counted: a part of one would overstate the records.
      if (!('groups' in translated) || translated.groups.flat().length < filter.conditions.length) return null;
      const { data } = await http('POST', `/crm/v3/objects/${hubspotObjects[object].path}/search`, {
        bucket: 'search', schema: searchTotal, body: { filterGroups: translated.groups.map((filters) => ({ filters })), limit: 1, properties: ['hs_object_id'] },
      });
      return data.total;
    },

    async readAssociations(object, remoteIds) {
      const result = new Map<string, Associations>(remoteIds.map((id) => [id, {}]));
      for (const other of hubspotObjects[object].associations) {
        for (let start = 0; start < remoteIds.length; start += hubspotLimits.associationsBatchSize) {
          const batch = remoteIds.slice(start, start + hubspotLimits.associationsBatchSize);
          const found = new Map<string, Set<string>>(batch.map((id) => [id, new Set()]));
          // A record with more links than one answer holds pages on by itself (`after` per input).
          let inputs: { id: string; after?: string }[] = batch.map((id) => ({ id }));
          while (inputs.length > 0) {
            const { data } = await http('POST', `/crm/v4/associations/${object}/${other}/batch/read`, { schema: associationBatch, body: { inputs } });
            for (const row of data.results) for (const to of row.to) found.get(row.from.id)?.add(String(to.toObjectId));
            inputs = data.results.flatMap((row) => (row.paging?.next ? [{ id: row.from.id, after: row.paging.next.after }] : []));
          }
          for (const [id, links] of found) result.get(id)![other] = [...links].sort(compareIds);
        }
      }
      return result;
    },

    async account() {
      // An authenticated call first, so a dead token takes the normal path (401 → refresh → reconnect).
      const { data: details } = await http('GET', '/account-info/v3/details', { schema: accountDetails });
      const token = await currentToken();
      const { data } = await http('GET', `/oauth/v1/access-tokens/${encodeURIComponent(token)}`, {
        label: '/oauth/v1/access-tokens/{token}', schema: accessTokenInfo,
      });
      return { externalAccountId: String(details.portalId), displayName: data.hub_domain ?? `HubSpot ${details.portalId}`, grantedScopes: data.scopes ?? [] };
    },

    async quota() {
      const quotas: Quota[] = [];
      const { data } = await http<{ results?: { name: string; usageLimit: number; currentUsage: number; resetsAt?: string }[] }>(
        'GET', '/account-info/v3/api-usage/daily/private-apps',
      );
      for (const usage of data.results ?? []) {
        quotas.push({ name: 'Requests today', used: usage.currentUsage, limit: usage.usageLimit, resetsAt: usage.resetsAt ?? null });
      }
      const window = lastWindow();
      if (window) {
        quotas.push({ name: `Requests per ${window.intervalMs / 1000} s`, used: window.max - window.remaining, limit: window.max, resetsAt: null });
      }
      return quotas;
    },

    async fieldOptions() {
      // Pipelines may also be read with a deals read scope; properties with the object's read scope.
      const { data: pipelines } = await http<{ results?: HubspotPipeline[] }>('GET', '/crm/v3/pipelines/deals');
      const options = pipelineOptions(pipelines.results ?? []);
      for (const target of labelledProperties) {
        const { data } = await http<{ options?: { value: string; label: string; displayOrder?: number }[] }>(
          'GET', `/crm/v3/properties/${target.object}/${target.property}`, { label: `/crm/v3/properties/${target.object}/{property}` },
        );
        options.push(...propertyOptions(target, data));
      }
      return options;
    },

    async describeFields(object) {
      const { data } = await http<{ results?: HubspotProperty[] }>('GET', `/crm/v3/properties/${hubspotObjects[object].path}`, { label: '/crm/v3/properties/{object}' });
      return (data.results ?? []).map(hubspotField);
    },

    async create(object, records) {
      const { data } = await http('POST', `/crm/v3/objects/${hubspotObjects[object].path}/batch/create`, {
        schema: writtenRecords,
        body: { inputs: records.map((record) => ({ properties: writeFields(hubspotFields[object], record.fields) })) },
      });
      return data.results.map((record) => ({ remoteId: String(record.id) }));
    },

    async update(object, records) {
      const { data } = await http('POST', `/crm/v3/objects/${hubspotObjects[object].path}/batch/update`, {
        schema: writtenRecords,
        body: { inputs: records.map((record) => ({ id: record.remoteId, properties: writeFields(hubspotFields[object], record.fields) })) },
      });
      return data.results.map((record) => ({ remoteId: String(record.id) }));
    },

    async archive(object, remoteIds) {
      await http('POST', `/crm/v3/objects/${hubspotObjects[object].path}/batch/archive`, { body: { inputs: remoteIds.map((id) => ({ id })) } });
    },

    async revoke(refreshToken) {
      if (!refreshToken || !endpoints.revokeUrl) return;
      // Needs no access token (it may be the one that stopped working), so not through `http`.
      const response = await fetch(endpoints.revokeUrl.replace('{token}', encodeURIComponent(refreshToken)), { method: 'DELETE', signal: AbortSignal.timeout(15_000) });
      await response.body?.cancel();
      if (!response.ok && response.status !== 404) throw new ProviderError('temporary', `HubSpot did not revoke the token (HTTP ${response.status}).`);
    },
  };
}

function maxOf(values: (string | null)[]): string | null {
  let max: string | null = null;
  for (const value of values) if (value && (!max || value > max)) max = value;
  return max;
}
