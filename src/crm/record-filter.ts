import type { CrmField, CrmFieldType, FilterCondition, RecordFilter } from './connector.js';

/**
 * Selective sync's filters (#16), read the same way by every CRM: what a condition means on a
 * record's raw properties (the CRM's own values), and what makes a filter invalid. Local evaluation
 * is the definition of "matches": a CRM that narrows a full listing with the filter pushed down
 * (its module's `filters.pushDown`) only saves requests, the engine still decides record by record,
 * so a full listing and an incremental one always agree. Pushed-down queries must therefore select
 * at least what this selects (never less).
 */

/** Reads a field's raw value from a record's properties (a CRM whose raw shapes differ brings its own). */
export type FilterValueReader = (properties: Record<string, unknown>, field: string) => unknown;

export const readProperty: FilterValueReader = (properties, field) => properties[field];

/** Conditions per filter at most: more says a different question (a list in the CRM, a segment). */
export const MAX_CONDITIONS = 20;

/** What is wrong with a condition, in words a person can act on; null when it is valid. */
export function conditionProblem(condition: FilterCondition): string | null {
  const { field, operator, value } = condition;
  const named = `"${field}" ${operator}`;
  switch (operator) {
    case 'known':
    case 'unknown':
      return value === undefined ? null : `${named} takes no value.`;
    case 'equals':
      return value === undefined || Array.isArray(value) ? `${named} needs one value (a string, number or boolean).` : null;
    case 'in':
      if (!Array.isArray(value)) return `${named} needs a list of values.`;
      if (value.length === 0) return `${named} needs at least one value: an empty list would match no record.`;
      return value.some((item) => typeof item !== 'string' || item === '') ? `${named} takes non-empty strings only.` : null;
    case 'contains':
      return typeof value === 'string' && value.trim() !== '' ? null : `${named} needs a non-empty text value.`;
    case 'before':
    case 'after':
      return typeof value === 'string' && isDateValue(value) ? null : `${named} needs an ISO 8601 date or instant (2025-01-31 or 2025-01-31T12:00:00Z), got ${JSON.stringify(value)}.`;
    case 'greater':
    case 'less':
      return typeof value === 'number' && Number.isFinite(value) ? null : `${named} needs a number, got ${JSON.stringify(value)}.`;
  }
}

/**
 * What is wrong with a filter for a CRM whose field names follow `fieldName`, with the path of the
 * part at fault; null when it is valid. This needs no CRM: whether the CRM has the fields, and of
 * which types, is checked next against its metadata (filterFieldsProblem).
 */
export function filterProblem(filter: RecordFilter, fieldName: { pattern: RegExp; rule: string }): { path: string; message: string } | null {
  if (filter.conditions.length > MAX_CONDITIONS) return { path: 'conditions', message: `A filter takes at most ${MAX_CONDITIONS} conditions; this one has ${filter.conditions.length}.` };
  for (const [index, condition] of filter.conditions.entries()) {
    if (!fieldName.pattern.test(condition.field)) return { path: `conditions.${index}.field`, message: `"${condition.field}" is not a field name: ${fieldName.rule}.` };
    const problem = conditionProblem(condition);
    if (problem) return { path: `conditions.${index}.value`, message: problem };
  }
  return null;
}

/**
 * The field types each operator means something for. Equality, lists and presence apply to any field;
 * a substring to text (and the values of a picklist); an order to numbers or to dates, never to both
 * by one operator, so a value is never read as the wrong kind.
 */
const operatorTypes: Record<FilterCondition['operator'], readonly CrmFieldType[] | 'any'> = {
  equals: 'any', in: 'any', known: 'any', unknown: 'any',
  contains: ['text', 'enumeration'],
  before: ['date', 'datetime'], after: ['date', 'datetime'],
  greater: ['number', 'currency'], less: ['number', 'currency'],
};

/**
 * What is wrong with a filter against the CRM's fields of the object (its metadata): a field it does
 * not have, or an operator that means nothing for the field's type; null when every condition fits.
 */
export function filterFieldsProblem(filter: RecordFilter, fields: CrmField[], where: string): { path: string; message: string } | null {
  const byName = new Map(fields.map((field) => [field.name, field]));
  for (const [index, condition] of filter.conditions.entries()) {
    const field = byName.get(condition.field);
    if (!field) return { path: `conditions.${index}.field`, message: `${where} has no field "${condition.field}": the fields API lists the ones it has.` };
    const types = operatorTypes[condition.operator];
    if (types !== 'any' && !types.includes(field.type)) {
      return { path: `conditions.${index}.operator`, message: `"${condition.operator}" does not apply to ${field.label} (${field.name}), a ${field.type} field: it applies to ${types.join(' or ')} fields.` };
    }
  }
  return null;
}

const ISO_DATE = /^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/;

function isDateValue(value: string): boolean {
  return ISO_DATE.test(value) && !Number.isNaN(Date.parse(value));
}

/** Whether a record's raw properties match the filter. An empty filter matches every record. */
export function matchesFilter(filter: RecordFilter, properties: Record<string, unknown>, read: FilterValueReader = readProperty): boolean {
  if (filter.conditions.length === 0) return true;
  const test = (condition: FilterCondition) => matchesCondition(condition, read(properties, condition.field));
  return filter.match === 'all' ? filter.conditions.every(test) : filter.conditions.some(test);
}

/**
 * One condition on one raw value. Text compares case-insensitively, as the CRMs' own filters do
 * (HubSpot EQ, SOQL `=`, Zoho `equals`); numbers numerically; dates as instants (ISO strings or epoch
 * milliseconds, as CRMs send them). A value that is absent or cannot be read as the condition's
 * type matches no comparison (only `unknown`).
 */
export function matchesCondition(condition: FilterCondition, raw: unknown): boolean {
  const { operator, value } = condition;
  const known = raw !== undefined && raw !== null && raw !== '';
  switch (operator) {
    case 'known':
      return known;
    case 'unknown':
      return !known;
    case 'equals':
      return known && sameValue(raw, value as string | number | boolean);
    case 'in':
      return known && (value as string[]).some((item) => sameValue(raw, item));
    case 'contains':
      return known && asText(raw).toLowerCase().includes(String(value).toLowerCase());
    case 'before':
    case 'after': {
      const at = asInstant(raw);
      const bound = Date.parse(String(value));
      return at !== null && (operator === 'before' ? at < bound : at > bound);
    }
    case 'greater':
    case 'less': {
      const number = asNumber(raw);
      return number !== null && (operator === 'greater' ? number > (value as number) : number < (value as number));
    }
  }
}

function sameValue(raw: unknown, value: string | number | boolean): boolean {
  if (typeof value === 'number') return asNumber(raw) === value;
  if (typeof value === 'boolean') return asText(raw).toLowerCase() === String(value);
  return asText(raw).toLowerCase() === value.toLowerCase();
}

function asText(raw: unknown): string {
  return typeof raw === 'string' ? raw : typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
}

function asNumber(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  if (typeof raw !== 'string' || raw.trim() === '') return null;
  const number = Number(raw);
  return Number.isFinite(number) ? number : null;
}

function asInstant(raw: unknown): number | null {
  if (typeof raw === 'number') return raw;
  if (typeof raw !== 'string') return null;
  const at = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  return Number.isNaN(at) ? null : at;
}

/** The fields a filter reads, for listings that ask for named properties only. */
export function filterFields(filter: RecordFilter | undefined): string[] {
  return [...new Set(filter?.conditions.map((condition) => condition.field) ?? [])];
}
