import { describe, expect, it } from 'vitest';
import { hubspotField } from '../../src/crm/hubspot/field-types.js';
import { pipedriveField } from '../../src/crm/pipedrive/field-types.js';
import { salesforceField } from '../../src/crm/salesforce/field-types.js';
import { zohoField } from '../../src/crm/zoho/field-types.js';

// Each CRM's metadata, as its API documents it, mapped onto our field types (one pure function per CRM).
describe('HubSpot properties → CrmField', () => {
  const type = (p: Partial<Parameters<typeof hubspotField>[0]>) => hubspotField({ name: 'x', label: 'X', type: 'string', ...p }).type;
  it('maps each type', () => {
    expect(type({ type: 'string', fieldType: 'text' })).toBe('text');
    expect(type({ type: 'phone_number' })).toBe('text');
    expect(type({ type: 'number' })).toBe('number');
    expect(type({ type: 'number', showCurrencySymbol: true })).toBe('currency');
    expect(type({ type: 'date' })).toBe('date');
    expect(type({ type: 'datetime' })).toBe('datetime');
    expect(type({ type: 'bool', fieldType: 'booleancheckbox' })).toBe('boolean');
    expect(type({ type: 'enumeration', fieldType: 'booleancheckbox' })).toBe('boolean');
    expect(type({ type: 'enumeration', fieldType: 'select' })).toBe('enumeration');
    expect(type({ name: 'hubspot_owner_id', type: 'enumeration', referencedObjectType: 'OWNER' })).toBe('owner');
  });
  it('keeps option labels, leaves hidden options out, and tells custom from HubSpot-defined', () => {
    const field = hubspotField({
      name: 'loyalty_tier', label: 'Loyalty Tier', type: 'enumeration', fieldType: 'select', hubspotDefined: false,
      options: [{ value: 'GOLD', label: 'Gold' }, { value: 'OLD', label: 'Old', hidden: true }], modificationMetadata: { readOnlyValue: false },
    });
    expect(field).toEqual({ name: 'loyalty_tier', label: 'Loyalty Tier', type: 'enumeration', options: [{ value: 'GOLD', label: 'Gold' }], readOnly: false, required: false, custom: true });
    expect(hubspotField({ name: 'createdate', label: 'Create Date', type: 'datetime', hubspotDefined: true, modificationMetadata: { readOnlyValue: true } }))
      .toMatchObject({ readOnly: true, custom: false });
  });
});

describe('Salesforce describe → CrmField', () => {
  const type = (t: string, referenceTo?: string[]) => salesforceField({ name: 'X', type: t, referenceTo }).type;
  it('maps each type', () => {
    for (const t of ['string', 'email', 'phone', 'url', 'textarea', 'id', 'multipicklist']) expect(type(t)).toBe('text');
    for (const t of ['double', 'int', 'percent']) expect(type(t)).toBe('number');
    expect(type('currency')).toBe('currency');
    expect(type('date')).toBe('date');
    expect(type('datetime')).toBe('datetime');
    expect(type('boolean')).toBe('boolean');
    expect(type('picklist')).toBe('enumeration');
    expect(type('reference', ['User'])).toBe('owner');
    expect(type('reference', ['Account'])).toBe('lookup');
  });
  it('keeps active picklist values with labels; required is a non-nillable writable field', () => {
    const field = salesforceField({
      name: 'Customer_Tier__c', label: 'Customer Tier', type: 'picklist', custom: true, nillable: true, createable: true, updateable: true,
      picklistValues: [{ value: 'Gold', label: 'Gold', active: true }, { value: 'Tin', label: 'Tin', active: false }],
    });
    expect(field).toEqual({ name: 'Customer_Tier__c', label: 'Customer Tier', type: 'enumeration', options: [{ value: 'Gold', label: 'Gold' }], readOnly: false, required: false, custom: true });
    expect(salesforceField({ name: 'LastName', type: 'string', nillable: false, createable: true, updateable: true })).toMatchObject({ required: true, custom: false });
    expect(salesforceField({ name: 'Id', type: 'id', nillable: false, createable: false, updateable: false })).toMatchObject({ readOnly: true, required: false });
  });
});

describe('Pipedrive fields → CrmField', () => {
  const type = (field_type: string, options?: { id: number; label: string }[]) => pipedriveField({ key: 'x', name: 'X', field_type, options }).type;
  it('maps each type', () => {
    for (const t of ['varchar', 'varchar_auto', 'text', 'phone', 'address']) expect(type(t)).toBe('text');
    expect(type('double')).toBe('number');
    expect(type('int')).toBe('number');
    expect(type('monetary')).toBe('currency');
    expect(type('date')).toBe('date');
    expect(type('enum', [{ id: 1, label: 'A' }])).toBe('enumeration');
    expect(type('stage')).toBe('enumeration');
    expect(type('user')).toBe('owner');
    expect(type('org')).toBe('lookup');
    expect(type('people')).toBe('lookup');
  });
  it('gives numeric option ids as values, and a 40-character hash key is custom', () => {
    const key = 'a'.repeat(40);
    expect(pipedriveField({ key, name: 'Loyalty tier', field_type: 'enum', options: [{ id: 203, label: 'Gold' }] }))
      .toEqual({ name: key, label: 'Loyalty tier', type: 'enumeration', options: [{ value: '203', label: 'Gold' }], readOnly: false, required: false, custom: true });
    expect(pipedriveField({ key: 'update_time', name: 'Update time', field_type: 'date' })).toMatchObject({ readOnly: true, custom: false });
  });
});

describe('Zoho fields → CrmField', () => {
  const type = (data_type: string) => zohoField({ api_name: 'X', data_type }).type;
  it('maps each type', () => {
    for (const t of ['text', 'textarea', 'email', 'phone', 'website', 'multiselectpicklist', 'autonumber']) expect(type(t)).toBe('text');
    for (const t of ['integer', 'bigint', 'double', 'decimal', 'percent']) expect(type(t)).toBe('number');
    expect(type('currency')).toBe('currency');
    expect(type('date')).toBe('date');
    expect(type('datetime')).toBe('datetime');
    expect(type('boolean')).toBe('boolean');
    expect(type('picklist')).toBe('enumeration');
    expect(type('lookup')).toBe('lookup');
    expect(type('ownerlookup')).toBe('owner');
  });
  it('keeps display values as labels and reads custom_field', () => {
    expect(zohoField({ api_name: 'Loyalty_Tier', display_label: 'Loyalty Tier', data_type: 'picklist', custom_field: true, read_only: false, system_mandatory: false, pick_list_values: [{ actual_value: 'Gold', display_value: 'Gold tier' }] }))
      .toEqual({ name: 'Loyalty_Tier', label: 'Loyalty Tier', type: 'enumeration', options: [{ value: 'Gold', label: 'Gold tier' }], readOnly: false, required: false, custom: true });
  });
});
