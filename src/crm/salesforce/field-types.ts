import type { CrmField, CrmFieldType } from '../connector.js';

/**
 * Salesforce describe fields (`GET sobjects/{X}/describe`) in our words. Pure, so each type is tested
 * without a server. https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_describesobjects_describesobjectresult.htm
 */
export interface SalesforceDescribeField {
  name: string;
  label?: string;
  type: string;
  custom?: boolean;
  nillable?: boolean;
  createable?: boolean;
  updateable?: boolean;
  defaultedOnCreate?: boolean;
  referenceTo?: string[];
  picklistValues?: { value: string; label: string | null; active?: boolean }[];
}

const TYPES: Record<string, CrmFieldType> = {
  currency: 'currency', double: 'number', int: 'number', long: 'number', percent: 'number',
  date: 'date', datetime: 'datetime', boolean: 'boolean', picklist: 'enumeration',
};

export function salesforceFieldType(field: SalesforceDescribeField): CrmFieldType {
  // A reference to User is the record's owner (OwnerId) or another user; to anything else, a record.
  if (field.type === 'reference') return field.referenceTo?.includes('User') ? 'owner' : 'lookup';
  return TYPES[field.type] ?? 'text';
}

export function salesforceField(field: SalesforceDescribeField): CrmField {
  const type = salesforceFieldType(field);
  const writable = field.createable === true || field.updateable === true;
  return {
    name: field.name,
    label: field.label ?? field.name,
    type,
    ...(type === 'enumeration' ? { options: (field.picklistValues ?? []).filter((v) => v.active !== false).map((v) => ({ value: v.value, label: v.label ?? v.value })) } : {}),
    readOnly: !writable,
    // A value a create must carry: not nillable, not filled in by Salesforce (booleans default to false).
    required: writable && field.nillable === false && field.defaultedOnCreate !== true && field.type !== 'boolean',
    custom: field.custom === true,
  };
}
