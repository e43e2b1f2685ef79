import { describe, expect, it } from 'vitest';
import type { CrmField } from '../../src/crm/connector.js';
import { readValue } from '../../src/crm/field-codec.js';
import { checkMappings, compatibleTypes, customFieldsReader, pulseFieldTypes, reservedNames, topLevel } from '../../src/sync/custom-fields.js';

const fields: CrmField[] = [
  { name: 'tier', label: 'Tier', type: 'enumeration', options: [{ value: 'GOLD', label: 'Gold' }, { value: 'SILVER', label: 'Silver' }], readOnly: false, required: false, custom: true },
  { name: 'score', label: 'Score', type: 'number', readOnly: false, required: false, custom: true },
  { name: 'renewal', label: 'Renewal', type: 'boolean', readOnly: false, required: false, custom: true },
  { name: 'signed', label: 'Signed on', type: 'date', readOnly: false, required: false, custom: true },
  { name: 'owner', label: 'Owner', type: 'owner', readOnly: false, required: false, custom: false },
];
const reserved = reservedNames(['firstName', 'email'], ['companyRemoteIds']);
const check = (proposed: Parameters<typeof checkMappings>[1]) => checkMappings('contacts', proposed, fields, reserved, 'TestCRM');

describe('the type compatibility table', () => {
  it('lets every CRM type be read as its own kind and as text, and nothing across kinds', () => {
    for (const [crm, pulse] of Object.entries(compatibleTypes)) {
      expect(pulse).toContain(crm);
      if (crm !== 'text') expect(pulse).toContain('text');
      for (const type of pulse) expect(pulseFieldTypes).toContain(type);
    }
    expect(compatibleTypes.text).toEqual(['text']);
    expect(compatibleTypes.number).not.toContain('date');
    expect(compatibleTypes.enumeration).not.toContain('boolean');
  });

  it('accepts compatible pairs and fills an enumeration\'s option mapping with the CRM labels', () => {
    const { mappings, problems } = check([
      { pulseField: 'tier', crmField: 'tier', pulseType: 'enumeration', options: { SILVER: 'silver-ish' } },
      { pulseField: 'score', crmField: 'score', pulseType: 'currency' },
      { pulseField: 'signedAt', crmField: 'signed', pulseType: 'datetime' },
      { pulseField: 'ownerName', crmField: 'owner', pulseType: 'text' },
    ]);
    expect(problems).toEqual([]);
    expect(mappings[0]).toEqual({ pulseField: 'tier', crmField: 'tier', pulseType: 'enumeration', direction: 'crm_to_pulse', options: { GOLD: 'Gold', SILVER: 'silver-ish' } });
    expect(mappings[1]!.options).toBeNull();
  });

  it('names the pair of an incompatible mapping, and every other problem', () => {
    expect(check([{ pulseField: 'when', crmField: 'score', pulseType: 'date' }]).problems)
      .toEqual(['TestCRM field "Score" (score) is a number and cannot be mapped to a Pulse date field "when"; it maps to number, currency, text.']);
    expect(check([{ pulseField: 'flag', crmField: 'tier', pulseType: 'boolean' }]).problems[0]).toContain('is an enumeration and cannot be mapped to a Pulse boolean field "flag"');
    const { problems } = check([
      { pulseField: 'Email', crmField: 'score', pulseType: 'number' },
      { pulseField: 'a', crmField: 'nope', pulseType: 'text' },
      { pulseField: 'b', crmField: 'score', pulseType: 'number' },
      { pulseField: 'B', crmField: 'renewal', pulseType: 'boolean' },
      { pulseField: 'c', crmField: 'score', pulseType: 'number', direction: 'pulse_to_crm' },
      { pulseField: '1st', crmField: 'score', pulseType: 'number' },
      { pulseField: 'd', crmField: 'tier', pulseType: 'enumeration', options: { BRONZE: 'Bronze' } },
      { pulseField: 'e', crmField: 'score', pulseType: 'number', options: { 1: 'one' } },
      { pulseField: 'companyRemoteIds', crmField: 'score', pulseType: 'number' },
    ]);
    expect(problems).toEqual([
      '"Email" is already a field of Pulse contacts (a unified column): choose another name.',
      '"nope" is not a field of TestCRM contacts (refresh the field list if it was added recently).',
      '"B" is mapped more than once in contacts: each Pulse field takes one CRM field.',
      '"c": direction pulse_to_crm arrives with two-way sync; map crm_to_pulse for now.',
      '"1st" is not a usable Pulse field name: start with a letter, then letters, digits or _ (at most 64).',
      '"d": "BRONZE" is not an option of Tier (tier).',
      '"e": an option mapping is only for enumeration fields, not number.',
      '"companyRemoteIds" is already a field of Pulse contacts (a unified column): choose another name.',
    ]);
  });
});

describe('reading raw values as Pulse types', () => {
  it('reads each type strictly', () => {
    expect(readValue('42.5', 'number')).toBe(42.5);
    expect(readValue(7, 'currency')).toBe(7);
    expect(readValue('12abc', 'number')).toBeNull();
    expect(readValue('1e400', 'number')).toBeNull();
    expect(readValue('', 'text')).toBeNull();
    expect(readValue('Yes', 'boolean')).toBe(true);
    expect(readValue('false', 'boolean')).toBe(false);
    expect(readValue('maybe', 'boolean')).toBeNull();
    expect(readValue('2024-06-30', 'date')).toBe('2024-06-30');
    expect(readValue('1719705600000', 'date')).toBe('2024-06-30');
    expect(readValue('2024-06-30T23:30:00.000-0200', 'date')).toBe('2024-07-01');
    expect(readValue('2024-06-30T10:00:00', 'datetime')).toBe('2024-06-30T10:00:00.000Z');
    expect(readValue('30/06/2024', 'datetime')).toBeNull();
    expect(readValue('GOLD', 'enumeration', { GOLD: 'Gold' })).toBe('Gold');
    expect(readValue('TIN', 'enumeration', { GOLD: 'Gold' })).toBe('TIN');
    expect(readValue('constructor', 'enumeration', {})).toBe('constructor');
    expect(readValue({ name: 'Ada', id: '4001' }, 'owner')).toBe('4001');
    expect(readValue(203, 'enumeration', { 203: 'Gold' })).toBe('Gold');
  });

  it('gives every mapped Pulse field, null where the CRM has no value, read where the module keeps it', () => {
    const read = customFieldsReader([
      { pulseField: 'tier', crmField: 'tier', pulseType: 'enumeration', direction: 'crm_to_pulse', options: { GOLD: 'Gold' } },
      { pulseField: 'score', crmField: 'score', pulseType: 'number', direction: 'crm_to_pulse' },
    ], topLevel);
    expect(read({ tier: 'GOLD' })).toEqual({ tier: 'Gold', score: null });
    const nested = customFieldsReader([{ pulseField: 'score', crmField: 'score', pulseType: 'number', direction: 'crm_to_pulse' }], (field) => ['custom_fields', field]);
    expect(nested({ custom_fields: { score: 3 } })).toEqual({ score: 3 });
  });
});
