import type { CrmField, CrmFieldType } from '../connector.js';

/**
 * HubSpot property definitions (`GET /crm/v3/properties/{object}`) in our words. Pure, so each type
 * is tested without a server. https://developers.hubspot.com/docs/api/crm/properties
 */
export interface HubspotProperty {
  name: string;
  label: string;
  type: string;
  fieldType?: string;
  options?: { value: string; label: string; hidden?: boolean }[];
  hubspotDefined?: boolean;
  showCurrencySymbol?: boolean;
  referencedObjectType?: string;
  externalOptions?: boolean;
  calculated?: boolean;
  modificationMetadata?: { readOnlyValue?: boolean };
}

/** `type` is what the value is; `fieldType` only how the form shows it, except for checkboxes and owners. */
export function hubspotFieldType(property: HubspotProperty): CrmFieldType {
  if (property.referencedObjectType === 'OWNER' || property.name === 'hubspot_owner_id') return 'owner';
  if (property.type === 'bool' || property.fieldType === 'booleancheckbox') return 'boolean';
  switch (property.type) {
    case 'number': return property.showCurrencySymbol ? 'currency' : 'number';
    case 'date': return 'date';
    case 'datetime': return 'datetime';
    case 'enumeration': return 'enumeration';
    default: return 'text';
  }
}

export function hubspotField(property: HubspotProperty): CrmField {
  const type = hubspotFieldType(property);
  return {
    name: property.name,
    label: property.label,
    type,
    ...(type === 'enumeration' ? { options: (property.options ?? []).filter((o) => !o.hidden).map(({ value, label }) => ({ value, label })) } : {}),
    readOnly: property.modificationMetadata?.readOnlyValue === true || property.calculated === true,
    // HubSpot's properties API has no "required": requiring a value is a form's or a pipeline's setting.
    required: false,
    custom: property.hubspotDefined === false,
  };
}
