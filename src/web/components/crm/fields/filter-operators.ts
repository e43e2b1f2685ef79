import type { FilterCondition, FilterOperator } from '../../../api/types';
import type { FilterableField } from './FiltersEditor';

/**
 * What the builder offers for each kind of CRM field: the operators that mean something for it and the
 * input its value needs. The API checks the same rules (src/crm/record-filter.ts); offering only the
 * sensible ones keeps a person from building a condition the server would refuse.
 */

export const operatorLabels: Record<FilterOperator, string> = {
  equals: 'is',
  in: 'is any of',
  contains: 'contains',
  known: 'is known',
  unknown: 'is unknown',
  before: 'is before',
  after: 'is after',
  greater: 'is greater than',
  less: 'is less than',
};

type FieldKind = 'text' | 'number' | 'date' | 'enumeration' | 'boolean';

const operatorsByKind: Record<FieldKind, FilterOperator[]> = {
  text: ['equals', 'in', 'contains', 'known', 'unknown'],
  enumeration: ['equals', 'in', 'known', 'unknown'],
  number: ['equals', 'greater', 'less', 'known', 'unknown'],
  date: ['before', 'after', 'known', 'unknown'],
  boolean: ['equals', 'known', 'unknown'],
};

/** A field the metadata does not describe (not loaded yet, or gone from the CRM) is treated as text. */
export function fieldKind(field: FilterableField | undefined): FieldKind {
  switch (field?.type) {
    case 'number':
    case 'currency':
      return 'number';
    case 'date':
    case 'datetime':
      return 'date';
    case 'enumeration':
      return field.options?.length ? 'enumeration' : 'text';
    case 'boolean':
      return 'boolean';
    default:
      return 'text';
  }
}

export function operatorsFor(field: FilterableField | undefined): FilterOperator[] {
  return operatorsByKind[fieldKind(field)];
}

/**
 * A condition as the form holds it: the value as typed (`text`) or picked (`list`), turned into the
 * API's value only when sent, so a half-typed number is not lost on the way.
 */
export interface DraftCondition {
  key: number;
  field: string;
  operator: FilterOperator;
  text: string;
  list: string[];
}

export function toCondition(draft: DraftCondition, field: FilterableField | undefined): FilterCondition {
  const { operator } = draft;
  const base = { field: draft.field, operator };
  switch (operator) {
    case 'known':
    case 'unknown':
      return base;
    case 'in':
      return fieldKind(field) === 'enumeration'
        ? { ...base, value: draft.list }
        : { ...base, value: draft.text.split(',').map((item) => item.trim()).filter(Boolean) };
    case 'greater':
    case 'less':
      // Sent as typed when it is not a number: the API's 400 then says so next to this condition.
      return { ...base, value: draft.text.trim() !== '' && Number.isFinite(Number(draft.text)) ? Number(draft.text) : draft.text };
    case 'equals':
      if (fieldKind(field) === 'number' && draft.text.trim() !== '' && Number.isFinite(Number(draft.text))) return { ...base, value: Number(draft.text) };
      if (fieldKind(field) === 'boolean') return { ...base, value: draft.text === 'true' };
      return { ...base, value: draft.text };
    default:
      return { ...base, value: draft.text };
  }
}

export function fromCondition(condition: FilterCondition, key: number): DraftCondition {
  const { value } = condition;
  return {
    key,
    field: condition.field,
    operator: condition.operator,
    text: Array.isArray(value) ? value.join(', ') : value === undefined ? '' : String(value),
    list: Array.isArray(value) ? value : [],
  };
}

/** The condition an API error names (`body.contacts.conditions.2.value`, or a schema issue's `where`), if any. */
export function conditionIndexOf(details: unknown): number | null {
  const paths = Array.isArray(details)
    ? details.map((issue) => String((issue as { where?: unknown }).where ?? ''))
    : [String((details as { path?: unknown } | undefined)?.path ?? '')];
  for (const path of paths) {
    const found = /conditions\.(\d+)/.exec(path);
    if (found) return Number(found[1]);
  }
  return null;
}
