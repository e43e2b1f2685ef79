import type { CrmField, CrmFieldType } from '../connector.js';

/**
 * Zoho field metadata (`GET settings/fields?module=`) in our words. Pure, so each type is tested
 * without a server. https://www.zoho.com/crm/developer/docs/api/v8/field-meta.html
 */
export interface ZohoFieldMeta {
  api_name: string;
  field_label?: string;
  display_label?: string;
  data_type: string;
  read_only?: boolean;
  system_mandatory?: boolean;
  custom_field?: boolean;
  pick_list_values?: { actual_value: string; display_value: string }[];
}

const TYPES: Record<string, CrmFieldType> = {
  integer: 'number', bigint: 'number', double: 'number', decimal: 'number', percent: 'number', currency: 'currency',
  date: 'date', datetime: 'datetime', boolean: 'boolean', picklist: 'enumeration',
  lookup: 'lookup', ownerlookup: 'owner', userlookup: 'owner',
};

export const zohoFieldType = (field: ZohoFieldMeta): CrmFieldType => TYPES[field.data_type] ?? 'text';

export function zohoField(field: ZohoFieldMeta): CrmField {
  const type = zohoFieldType(field);
  return {
    name: field.api_name,
    label: field.display_label ?? field.field_label ?? field.api_name,
    type,
    ...(type === 'enumeration' ? { options: (field.pick_list_values ?? []).map((v) => ({ value: v.actual_value, label: v.display_value })) } : {}),
    readOnly: field.read_only === true,
    required: field.system_mandatory === true,
    custom: field.custom_field === true,
  };
}
