import type { AppContext } from '../app-context.js';
import { integrationConnector } from '../crm/connectors.js';
import type { Connector, RecordFilter } from '../crm/connector.js';
import { moduleFor } from '../crm/modules.js';
import { objectTypes, type ObjectType } from '../crm/platforms.js';
import { ProviderError } from '../crm/provider-error.js';
import { matchesFilter } from '../crm/record-filter.js';
import type { Integration } from '../db/integrations-repository.js';
import { recordFiltersRepository, type RecordFilters } from '../db/record-filters-repository.js';
import { recordRows } from '../db/record-rows.js';
import { withUser } from '../db/tenant.js';

/**
 * What a set of filters costs and selects, per object (#16): where each is applied (pushed into the
 * CRM's full listing, or by Pulse on every record listed), the CRM's counts with and without it, and
 * the listing requests a full sync spends either way (records ÷ the listing's page size). A preview
 * adds the local side: how many of the records Pulse holds match, and a few of them.
 */
export interface ObjectFilterReport {
  filter: RecordFilter | null;
  appliedAt: 'crm' | 'pulse' | 'none';
  /** Why the filter is not pushed down (null when it is, or when there is none). */
  reason: string | null;
  crm: { total: number | null; matching: number | null; note: string | null };
  /** Estimated requests of a full listing of this object: with the filter, and without any. */
  listingRequests: { filtered: number | null; unfiltered: number | null };
  local?: { records: number; matching: number; sample: Record<string, unknown>[] };
}

const SAMPLE_SIZE = 5;
/** A report that spends no CRM request (the saved filters as a page loads them): counts left out, saying how to get them. */
const NOT_COUNTED: ObjectFilterReport['crm'] = { total: null, matching: null, note: 'Not counted: ?counts=true or a preview asks the CRM.' };
const LOCAL_BATCH = 2_000;

export async function filterReport(
  ctx: AppContext, userId: string, integration: Integration, filters: RecordFilters, options: { local: boolean; crmCounts: boolean },
): Promise<Record<ObjectType, ObjectFilterReport>> {
  const connector = integrationConnector(ctx, integration);
  const module = moduleFor(integration.platform);
  const entries = await Promise.all(objectTypes.map(async (object): Promise<[ObjectType, ObjectFilterReport]> => {
    const filter = filters[object] && filters[object]!.conditions.length > 0 ? filters[object]! : null;
    const pushDown = filter ? module.filters.pushDown(object, filter) : null;
    const crm = options.crmCounts ? await crmCounts(connector, object, filter) : NOT_COUNTED;
    const pages = (count: number | null, size: number) => (count === null ? null : Math.max(1, Math.ceil(count / size)));
    const unfiltered = pages(crm.total, module.filters.pageSize.full);
    const report: ObjectFilterReport = {
      filter,
      appliedAt: pushDown ? (pushDown.pushed ? 'crm' : 'pulse') : 'none',
      reason: pushDown && !pushDown.pushed ? pushDown.reason : null,
      crm,
      // A filter Pulse applies lists every record: it saves storage, not requests.
      listingRequests: { unfiltered, filtered: !pushDown ? unfiltered : pushDown.pushed ? pages(crm.matching, module.filters.pageSize.filtered) : unfiltered },
    };
    if (options.local) report.local = await localMatches(ctx, userId, integration, object, filter);
    return [object, report];
  }));
  return Object.fromEntries(entries) as Record<ObjectType, ObjectFilterReport>;
}

/** The CRM's counts; a CRM that cannot count (or fails to answer) leaves them null and says why. */
async function crmCounts(connector: Connector, object: ObjectType, filter: RecordFilter | null): Promise<ObjectFilterReport['crm']> {
  try {
    const total = await connector.countRecords(object);
    if (!filter) return { total, matching: total, note: null };
    const matching = connector.countMatching ? await connector.countMatching(object, filter) : null;
    return { total, matching, note: matching === null ? 'The CRM cannot count records with this filter; the local count shows what the records Pulse holds would give.' : null };
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    return { total: null, matching: null, note: `The CRM did not answer the count: ${error.message}` };
  }
}

async function localMatches(ctx: AppContext, userId: string, integration: Integration, object: ObjectType, filter: RecordFilter | null): Promise<NonNullable<ObjectFilterReport['local']>> {
  const read = moduleFor(integration.platform).filters.readValue;
  const result = { records: 0, matching: 0, sample: [] as Record<string, unknown>[] };
  let after: string | null = null;
  // Batches in id order, each its own short transaction: a large integration is read without a long one.
  for (;;) {
    const rows = await withUser(ctx.db.pool, userId, (tx) => recordFiltersRepository(tx).liveBatch(object, integration.id, after, LOCAL_BATCH));
    for (const row of rows) {
      result.records++;
      if (filter && !matchesFilter(filter, (row.properties ?? {}) as Record<string, unknown>, read)) continue;
      result.matching++;
      if (result.sample.length < SAMPLE_SIZE) result.sample.push(recordRows(object).toItem(row));
    }
    if (rows.length < LOCAL_BATCH) return result;
    after = rows.at(-1)!.id as string;
  }
}
