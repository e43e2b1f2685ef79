import type { FilterSupport } from '../connector-module.js';
import type { FilterCondition, RecordFilter } from '../connector.js';
import { hubspotLimits } from './spec.js';

/**
 * Selective sync at HubSpot: a filter becomes search `filterGroups` (filters AND-ed within a group,
 * groups OR-ed), https://developers.hubspot.com/docs/api/crm/search. Search allows 5 groups, 10
 * filters per group and 25 in all (since the 2024-08-26 "expanded filtering" change; 6 and 18
 * before); every group also carries the listing's modified-time window (the 10,000-result cap is
 * paged past by time windows), so a group holds 9 of ours.
 * `contains` stays local: CONTAINS_TOKEN matches whole tokens, not the substring we promise.
 * An `all` filter pushes what it can (a narrower query is still a superset of the result), an
 * `any` filter only whole.
 */
export interface HubspotFilter {
  propertyName: string;
  operator: 'EQ' | 'IN' | 'HAS_PROPERTY' | 'NOT_HAS_PROPERTY' | 'LT' | 'GT';
  value?: string;
  values?: string[];
}

const LIMITS = { groups: 5, perGroup: 10, total: 25 } as const;
/** The modified-time window each group carries (connector.ts). */
const WINDOW_FILTERS = 1;

function searchFilter(condition: FilterCondition): HubspotFilter | null {
  const { field: propertyName, operator, value } = condition;
  switch (operator) {
    case 'equals': return { propertyName, operator: 'EQ', value: String(value) };
    // String values compare in lower case at HubSpot, as our evaluation does.
    case 'in': return { propertyName, operator: 'IN', values: (value as string[]).map((item) => item.toLowerCase()) };
    case 'known': return { propertyName, operator: 'HAS_PROPERTY' };
    case 'unknown': return { propertyName, operator: 'NOT_HAS_PROPERTY' };
    // Dates and datetimes are filtered as epoch milliseconds.
    case 'before': return { propertyName, operator: 'LT', value: String(Date.parse(String(value))) };
    case 'after': return { propertyName, operator: 'GT', value: String(Date.parse(String(value))) };
    case 'greater': return { propertyName, operator: 'GT', value: String(value) };
    case 'less': return { propertyName, operator: 'LT', value: String(value) };
    case 'contains': return null;
  }
}

/** The filter as filter groups (without the time window), or why a full listing cannot use it. */
export function hubspotFilterGroups(filter: RecordFilter): { groups: HubspotFilter[][] } | { reason: string } {
  const translated = filter.conditions.map(searchFilter);
  if (filter.match === 'all') {
    const pushable = translated.filter((f): f is HubspotFilter => f !== null).slice(0, LIMITS.perGroup - WINDOW_FILTERS);
    return pushable.length > 0 ? { groups: [pushable] } : { reason: 'HubSpot search has no substring match (CONTAINS_TOKEN matches whole words): every record is listed and the filter applied by Pulse.' };
  }
  if (translated.some((f) => f === null)) return { reason: 'An "any" filter with "contains" cannot be searched (CONTAINS_TOKEN matches whole words): every record is listed and the filter applied by Pulse.' };
  if (translated.length > LIMITS.groups || translated.length * (1 + WINDOW_FILTERS) > LIMITS.total) {
    return { reason: `HubSpot search takes at most ${LIMITS.groups} alternatives ("any" conditions); this filter has ${translated.length}: every record is listed and the filter applied by Pulse.` };
  }
  return { groups: translated.map((f) => [f!]) };
}

export const hubspotFilterSupport: FilterSupport = {
  fieldName: { pattern: /^[a-z0-9][a-z0-9_]*$/, rule: 'HubSpot property internal names are lower case letters, digits and underscores (e.g. lifecyclestage)' },
  pushDown(_object, filter) {
    const result = hubspotFilterGroups(filter);
    return 'groups' in result ? { pushed: true } : { pushed: false, reason: result.reason };
  },
  pageSize: { full: hubspotLimits.listPageSize, filtered: hubspotLimits.searchPageSize },
};
