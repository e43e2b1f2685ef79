import type { FilterSupport } from '../connector-module.js';
import type { FilterValueReader } from '../record-filter.js';
import { flatView } from './mapping.js';
import { pipedriveLimits } from './spec.js';

/**
 * Selective sync at Pipedrive: applied by Pulse, not pushed down. Pipedrive's own filters (`POST
 * /v1/filters`, then `filter_id` on a listing) are account-wide objects a person sees in the CRM's
 * list views, and the v2 listings Pulse pages with (cursor pagination) take `filter_id` only for
 * deals; creating, keeping in step and deleting one per integration is left for later.
 * v2 nests some values: custom fields under `custom_fields` (money as `{ value, currency }`),
 * emails and phones as lists, the address as an object; a filter names them as the field table
 * does (`emails`, `address.locality`) or by the custom field's key.
 */
export const readPipedriveValue: FilterValueReader = (properties, field) => {
  const flat = flatView(properties);
  const custom = (properties.custom_fields ?? {}) as Record<string, unknown>;
  const value = field in flat ? flat[field] : custom[field];
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const nested = value as { value?: unknown; id?: unknown };
    return nested.value ?? nested.id ?? value;
  }
  return value;
};

export const pipedriveFilterSupport: FilterSupport = {
  fieldName: { pattern: /^[a-z0-9_]+(\.[a-z_]+)?$/, rule: 'Pipedrive field keys are lower case letters, digits and underscores (custom fields: their 40-character key)' },
  readValue: readPipedriveValue,
  pushDown: () => ({ pushed: false, reason: 'Pipedrive filters are not pushed down yet: every record is listed and the filter applied by Pulse.' }),
  pageSize: { full: pipedriveLimits.pageSize, filtered: pipedriveLimits.pageSize },
};
