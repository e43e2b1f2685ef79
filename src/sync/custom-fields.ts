import type { CrmField, CrmFieldType } from '../crm/connector.js';
import { readValue } from '../crm/field-codec.js';
import type { ObjectType } from '../crm/platforms.js';

/**
 * Custom field mappings: a CRM field → a named Pulse field, per integration and object, beside the
 * module's defaults (its field table: the unified columns).
 *
 * Design note: the values live in one `custom_fields` JSONB column of crm_contacts/companies/deals,
 * keyed by the Pulse field name, not in typed columns per mapping. A mapping is then a row
 * (crm_field_mappings), never DDL on a table every integration shares; the value's type is kept by
 * reading it as the mapping's Pulse type (numbers as JSON numbers, booleans as booleans, dates as
 * ISO text), and the raw `properties` stay as the CRM sent them, so a changed mapping is re-derived
 * from them without asking the CRM (pulse_mapped_value, migration 024, mirrors readValue).
 */
export type PulseFieldType = CrmFieldType;
export const pulseFieldTypes = ['text', 'number', 'currency', 'date', 'datetime', 'boolean', 'enumeration', 'lookup', 'owner'] as const satisfies readonly PulseFieldType[];

export const mappingDirections = ['crm_to_pulse', 'pulse_to_crm', 'both'] as const;
export type MappingDirection = (typeof mappingDirections)[number];

export interface FieldMapping {
  pulseField: string;
  crmField: string;
  pulseType: PulseFieldType;
  direction: MappingDirection;
  /** Enumerations: CRM option value → what Pulse stores (the CRM's labels unless the mapping says otherwise). */
  options?: Record<string, string> | null;
}

/**
 * Which Pulse types a CRM field of each type may be read as. Every CRM value also reads as text;
 * nothing else is converted across kinds (a number is never a date, a picklist never a boolean).
 */
export const compatibleTypes: Record<CrmFieldType, readonly PulseFieldType[]> = {
  text: ['text'],
  number: ['number', 'currency', 'text'],
  currency: ['currency', 'number', 'text'],
  date: ['date', 'datetime', 'text'],
  datetime: ['datetime', 'date', 'text'],
  boolean: ['boolean', 'text'],
  enumeration: ['enumeration', 'text'],
  lookup: ['lookup', 'text'],
  owner: ['owner', 'text'],
};

/** What a Pulse field may be called: an identifier, as it will be a JSON key and, one day, a column. */
const PULSE_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,63}$/;

/** Names a record already has in the data API (its unified columns and envelope): a custom field may not take them. */
export function reservedNames(canonicalFields: string[], associationNames: string[]): Set<string> {
  const envelope = ['id', 'integrationId', 'remoteId', 'properties', 'customFields', 'labels', 'remoteCreatedAt', 'remoteUpdatedAt', 'deletedAt', 'updatedAt'];
  return new Set([...envelope, ...canonicalFields, ...associationNames].map((name) => name.toLowerCase()));
}

export interface ProposedMapping {
  pulseField: string;
  crmField: string;
  pulseType: PulseFieldType;
  direction?: MappingDirection;
  options?: Record<string, string> | null;
}

/**
 * Checks one object's proposed mappings against the CRM's fields and returns them complete (an
 * enumeration's option mapping filled in with the CRM's labels), or the problems, each naming what
 * is wrong so a person can fix it without reading code.
 */
export function checkMappings(
  object: ObjectType, proposed: ProposedMapping[], fields: CrmField[], reserved: Set<string>, crmName: string,
): { mappings: FieldMapping[]; problems: string[] } {
  const byName = new Map(fields.map((field) => [field.name, field]));
  const problems: string[] = [];
  const seen = new Set<string>();
  const mappings: FieldMapping[] = [];
  for (const proposal of proposed) {
    const direction = proposal.direction ?? 'crm_to_pulse';
    const name = proposal.pulseField;
    if (!PULSE_NAME.test(name)) {
      problems.push(`"${name}" is not a usable Pulse field name: start with a letter, then letters, digits or _ (at most 64).`);
      continue;
    }
    if (reserved.has(name.toLowerCase())) problems.push(`"${name}" is already a field of Pulse ${object} (a unified column): choose another name.`);
    if (seen.has(name.toLowerCase())) problems.push(`"${name}" is mapped more than once in ${object}: each Pulse field takes one CRM field.`);
    seen.add(name.toLowerCase());
    if (direction !== 'crm_to_pulse') problems.push(`"${name}": direction ${direction} arrives with two-way sync; map crm_to_pulse for now.`);
    const field = byName.get(proposal.crmField);
    if (!field) {
      problems.push(`"${proposal.crmField}" is not a field of ${crmName} ${object} (refresh the field list if it was added recently).`);
      continue;
    }
    if (!compatibleTypes[field.type].includes(proposal.pulseType)) {
      problems.push(`${crmName} field "${field.label}" (${field.name}) is ${article(field.type)} ${field.type} and cannot be mapped to a Pulse ${proposal.pulseType} field "${name}"; it maps to ${compatibleTypes[field.type].join(', ')}.`);
      continue;
    }
    let options: Record<string, string> | null = null;
    if (proposal.pulseType === 'enumeration') {
      const known = new Set((field.options ?? []).map((option) => option.value));
      const unknown = Object.keys(proposal.options ?? {}).filter((value) => !known.has(value));
      if (unknown.length) problems.push(`"${name}": ${unknown.map((value) => `"${value}"`).join(', ')} ${unknown.length === 1 ? 'is not an option' : 'are not options'} of ${field.label} (${field.name}).`);
      options = { ...Object.fromEntries((field.options ?? []).map((option) => [option.value, option.label])), ...(proposal.options ?? {}) };
    } else if (proposal.options && Object.keys(proposal.options).length) {
      problems.push(`"${name}": an option mapping is only for enumeration fields, not ${proposal.pulseType}.`);
    }
    mappings.push({ pulseField: name, crmField: field.name, pulseType: proposal.pulseType, direction, options });
  }
  return { mappings, problems };
}

const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');

/** Where a CRM field's value sits in stored properties (the module's fieldPath, else at the top). */
export type FieldPath = (field: string) => string[];
export const topLevel: FieldPath = (field) => [field];

function at(properties: Record<string, unknown>, path: string[]): unknown {
  let value: unknown = properties;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A record's custom_fields from its raw properties: every mapped Pulse field, null where the CRM has no value. */
export type CustomFieldsReader = (properties: Record<string, unknown>) => Record<string, unknown>;

export function customFieldsReader(mappings: FieldMapping[], path: FieldPath): CustomFieldsReader {
  const compiled = mappings.map((mapping) => ({ ...mapping, path: path(mapping.crmField) }));
  return (properties) => {
    const values: Record<string, unknown> = {};
    for (const mapping of compiled) values[mapping.pulseField] = readValue(at(properties, mapping.path), mapping.pulseType, mapping.options);
    return values;
  };
}
