/**
 * CRM search filters: parsing and checking a request's filterGroups (groups are OR-ed, filters in a
 * group AND-ed) and turning each filter into a predicate over a record slot. Dates compare as epoch
 * milliseconds (filter values may be epoch-ms strings or ISO dates), numbers numerically, strings
 * case-insensitively.
 */
import type { Collection } from '../core/collection.js';
import { OBJECTS, type ObjectType } from './objects.js';
import { propertyDef } from './properties.js';

export const OPERATORS = ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN'] as const;

export interface Filter {
  propertyName: string;
  operator: (typeof OPERATORS)[number];
  value?: string | number | boolean;
  highValue?: string | number;
  values?: (string | number)[];
}

export type Predicate = (slot: number) => boolean;

/** What filters read of a collection (a collection, or the search index's lagging view of one). */
export type RecordSource = Pick<Collection, 'ids' | 'created' | 'updated' | 'prop'>;

/** How a property's values compare: 'time' and 'number' numerically, 'text' as lower-case strings. */
export function kindOf(type: ObjectType, name: string): 'time' | 'number' | 'text' {
  const def = propertyDef(type, name);
  if (def?.type === 'datetime' || def?.type === 'date') return 'time';
  return def?.type === 'number' ? 'number' : 'text';
}

export function toComparable(kind: 'time' | 'number' | 'text', raw: unknown): number | string {
  const text = String(raw ?? '');
  if (kind === 'time') return /^-?\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (kind === 'number') return Number(text);
  return text.toLowerCase();
}

/** Reads a property of a slot as a comparable value (system properties straight from the columns). */
export function reader(type: ObjectType, coll: RecordSource, name: string): (slot: number) => number | string | undefined {
  const kind = kindOf(type, name);
  if (name === 'hs_object_id') return (s) => coll.ids[s];
  if (name === 'createdate') return (s) => coll.created[s];
  if (name === OBJECTS[type].modifiedProperty) return (s) => coll.updated[s];
  return (s) => {
    const v = coll.prop(s, name);
    return v === undefined || v === '' ? undefined : toComparable(kind, v);
  };
}

function tokenMatcher(pattern: string): (value: string) => boolean {
  const re = new RegExp(`(^|\\W)${pattern.toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}($|\\W)`);
  return (value) => re.test(value);
}

export function compileFilter(type: ObjectType, coll: RecordSource, f: Filter): Predicate {
  const read = reader(type, coll, f.propertyName);
  const kind = kindOf(type, f.propertyName);
  const v = toComparable(kind, f.value);
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return (s) => read(s) !== undefined;
    case 'NOT_HAS_PROPERTY':
      return (s) => read(s) === undefined;
    case 'EQ':
      return (s) => read(s) === v;
    case 'NEQ':
      return (s) => read(s) !== v;
    case 'LT':
      return (s) => (read(s) ?? NaN) < v;
    case 'LTE':
      return (s) => (read(s) ?? NaN) <= v;
    case 'GT':
      return (s) => (read(s) ?? NaN) > v;
    case 'GTE':
      return (s) => (read(s) ?? NaN) >= v;
    case 'BETWEEN': {
      const hi = toComparable(kind, f.highValue);
      return (s) => {
        const x = read(s);
        return x !== undefined && x >= v && x <= hi;
      };
    }
    case 'IN':
    case 'NOT_IN': {
      const set = new Set((f.values ?? []).map((x) => toComparable(kind, x)));
      return f.operator === 'IN' ? (s) => set.has(read(s) as never) : (s) => !set.has(read(s) as never);
    }
    case 'CONTAINS_TOKEN':
    case 'NOT_CONTAINS_TOKEN': {
      const match = tokenMatcher(String(f.value ?? ''));
      const yes = f.operator === 'CONTAINS_TOKEN';
      return (s) => match(String(read(s) ?? '')) === yes;
    }
  }
}

/** The problem with a filter group list, in HubSpot's limits (5 groups, 10 filters each, 25 total). */
export function checkFilterGroups(type: ObjectType, groups: { filters?: Filter[] }[]): string | undefined {
  if (groups.length > 5) return `Too many filter groups (${groups.length}); the limit is 5.`;
  let total = 0;
  for (const g of groups) {
    const filters = g.filters ?? [];
    if (filters.length > 10) return `Too many filters in a group (${filters.length}); the limit is 10.`;
    total += filters.length;
    for (const f of filters) {
      if (!OPERATORS.includes(f.operator)) return `Invalid operator: ${String(f.operator)}`;
      if (!propertyDef(type, f.propertyName)) return `Property "${f.propertyName}" does not exist on ${OBJECTS[type].singular}`;
      if (f.operator === 'BETWEEN' && f.highValue === undefined) return `BETWEEN requires highValue for ${f.propertyName}`;
      if ((f.operator === 'IN' || f.operator === 'NOT_IN') && !Array.isArray(f.values)) return `${f.operator} requires values for ${f.propertyName}`;
    }
  }
  return total > 25 ? `Too many filters (${total}); the limit is 25.` : undefined;
}
