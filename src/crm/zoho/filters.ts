import type { FilterSupport } from '../connector-module.js';
import type { FilterValueReader } from '../record-filter.js';
import { zohoLimits } from './spec.js';

/**
 * Selective sync at Zoho CRM: applied by Pulse, not pushed down yet. The listing Pulse pages with
 * (`GET /{module}` by id with page tokens) takes no criteria; the search API (`criteria`) stops at
 * 2,000 records a query and COQL at 100,000 with LIMIT/OFFSET paging, so a filtered full listing
 * needs its own windowing, left for later. Lookups and the owner come as `{ name, id }`: a filter
 * compares their id.
 */
export const readZohoValue: FilterValueReader = (properties, field) => {
  const value = properties[field];
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return (value as { id?: unknown }).id ?? value;
  return value;
};

export const zohoFilterSupport: FilterSupport = {
  fieldName: { pattern: /^[A-Za-z][A-Za-z0-9_]*$/, rule: 'Zoho CRM field API names are letters, digits and underscores, starting with a letter (e.g. Lead_Source)' },
  readValue: readZohoValue,
  pushDown: () => ({ pushed: false, reason: 'Zoho CRM criteria are not pushed down yet: every record is listed and the filter applied by Pulse.' }),
  pageSize: { full: zohoLimits.pageSize, filtered: zohoLimits.pageSize },
};
