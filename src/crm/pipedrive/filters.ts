import type { FilterSupport } from '../connector-module.js';
import type { FilterCondition, RecordFilter } from '../connector.js';
import type { ObjectType } from '../platforms.js';
import type { FilterValueReader } from '../record-filter.js';
import { flatView } from './mapping.js';
import { pipedriveLimits } from './spec.js';

/**
 * Selective sync at Pipedrive. The v2 listings Pulse pages with take a few ids as query parameters
 * (persons: owner, organization, deal; organizations: owner; deals: owner, person, organization,
 * pipeline, stage), https://developers.pipedrive.com/docs/api/v1/Persons#getPersons (v2): an `equals`
 * (or a one-value `in`) on one of them narrows a full listing, the rest of an `all` filter is applied
 * by Pulse. Anything else is applied by Pulse alone. Pipedrive's own saved filters (`POST
 * /v1/filters`, then `filter_id`) would take every condition, but they are account-wide objects a
 * person sees in the CRM's list views, keyed by numeric field ids: creating, keeping in step and
 * deleting one per integration and object is left for later.
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

/** The id parameters each v2 listing takes. */
const LISTING_PARAMS: Record<ObjectType, string[]> = {
  contacts: ['owner_id', 'org_id', 'deal_id'],
  companies: ['owner_id'],
  deals: ['owner_id', 'person_id', 'org_id', 'pipeline_id', 'stage_id'],
};

function listingParam(object: ObjectType, condition: FilterCondition): [string, number] | null {
  if (!LISTING_PARAMS[object].includes(condition.field)) return null;
  const value = condition.operator === 'equals' ? condition.value : condition.operator === 'in' && Array.isArray(condition.value) && condition.value.length === 1 ? condition.value[0] : undefined;
  const id = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(id) && id > 0 ? [condition.field, id] : null;
}

/** The query parameters a full listing narrows itself with, or null when the filter gives none. */
export function pipedriveListingParams(object: ObjectType, filter: RecordFilter): Record<string, number> | null {
  const params = filter.conditions.map((condition) => listingParam(object, condition));
  // Several conditions on one parameter, or an `any` of more than one: not a listing's AND of ids.
  const usable = filter.match === 'all' || filter.conditions.length === 1 ? params.filter((p): p is [string, number] => p !== null) : [];
  const names = usable.map(([name]) => name);
  if (usable.length === 0 || new Set(names).size !== names.length) return null;
  return Object.fromEntries(usable);
}

export const pipedriveFilterSupport: FilterSupport = {
  fieldName: { pattern: /^[a-z0-9_]+(\.[a-z_]+)?$/, rule: 'Pipedrive field keys are lower case letters, digits and underscores (custom fields: their 40-character key)' },
  readValue: readPipedriveValue,
  pushDown: (object, filter) => (pipedriveListingParams(object, filter)
    ? { pushed: true }
    : { pushed: false, reason: `Pipedrive's listing narrows only by ${LISTING_PARAMS[object].join(', ')} (one id each, AND-ed): every record is listed and the filter applied by Pulse.` }),
  pageSize: { full: pipedriveLimits.pageSize, filtered: pipedriveLimits.pageSize },
};
