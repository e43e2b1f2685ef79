import type { CrmField, CrmFieldType } from '../connector.js';

/**
 * Pipedrive field metadata (`personFields`, `organizationFields`, `dealFields`) in our words. Pure, so
 * each type is tested without a server. https://developers.pipedrive.com/docs/api/v1/DealFields
 */
export interface PipedriveFieldMeta {
  key: string;
  name: string;
  field_type: string;
  options?: { id: number | string; label: string }[] | null;
  mandatory_flag?: boolean;
}

const TYPES: Record<string, CrmFieldType> = {
  double: 'number', int: 'number', monetary: 'currency', date: 'date', enum: 'enumeration', status: 'enumeration', stage: 'enumeration',
  user: 'owner', org: 'lookup', people: 'lookup',
};

/** Set by Pipedrive, never by a write. */
const SYSTEM_KEYS = new Set(['id', 'add_time', 'update_time', 'creator_user_id']);

/** Custom fields are keyed by a 40-character hash; records carry them under `custom_fields`. */
export const isCustomFieldKey = (key: string) => /^[0-9a-f]{40}$/.test(key);

export function pipedriveFieldType(field: PipedriveFieldMeta): CrmFieldType {
  // The pipeline is a numeric field with options in the metadata: a choice, as stages are.
  if (field.options?.length && field.field_type !== 'set') return 'enumeration';
  return TYPES[field.field_type] ?? 'text';
}

export function pipedriveField(field: PipedriveFieldMeta): CrmField {
  const type = pipedriveFieldType(field);
  return {
    name: field.key,
    label: field.name,
    type,
    ...(type === 'enumeration' ? { options: (field.options ?? []).map((o) => ({ value: String(o.id), label: o.label })) } : {}),
    readOnly: SYSTEM_KEYS.has(field.key),
    required: field.mandatory_flag === true,
    custom: isCustomFieldKey(field.key),
  };
}
