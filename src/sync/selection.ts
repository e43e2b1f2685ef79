import type { CanonicalRecord, ListingSelection } from '../crm/connector.js';
import { moduleFor } from '../crm/modules.js';
import type { ObjectType, PlatformId } from '../crm/platforms.js';
import { matchesFilter } from '../crm/record-filter.js';
import type { RecordFilters } from '../db/record-filters-repository.js';

/**
 * A run's selective sync, from the integration's stored filters: the selection its connector lists
 * with (pushed down into full listings where the CRM can) and the test the engine applies to every
 * record it is given, listed or pushed (object-sync.ts). Filters that select everything are left out.
 */
export function runSelection(platform: PlatformId, filters: RecordFilters): { selection: ListingSelection; keeps?: (object: ObjectType, record: CanonicalRecord) => boolean } {
  const active = Object.fromEntries(Object.entries(filters).filter(([, filter]) => filter && filter.conditions.length > 0)) as RecordFilters;
  const selection: ListingSelection = { properties: {}, filters: active };
  if (Object.keys(active).length === 0) return { selection };
  const read = moduleFor(platform).filters.readValue;
  return {
    selection,
    keeps: (object, record) => {
      const filter = active[object];
      return !filter || matchesFilter(filter, record.properties, read);
    },
  };
}
