/**
 * Runs a CRM search over one collection without scanning it when it can: a sort (or bound) on the
 * modification date walks the (updatedAt, id) index between binary-searched bounds, an id sort or
 * bound walks slots. When every filter is such a bound, totals and pages are O(log n + page);
 * anything else falls back to a walk over the bounded range.
 */
import type { Collection } from '../core/collection.js';
import { OBJECTS, type ObjectType } from './objects.js';
import { hash32 } from '../core/random.js';
import { compileFilter, reader, toComparable, type Filter, type Predicate, type RecordSource } from './search-filters.js';

export interface SearchSpec {
  groups: { filters: Filter[] }[];
  sort?: { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' };
  query?: string;
  queryProperties: string[];
  offset: number;
  limit: number;
}

/** A collection as the search index sees it (see search-lag.ts). */
export interface SearchSource extends RecordSource {
  readonly size: number;
  isLive(slot: number): boolean;
}

/** How to run one search: over a lagging view instead of the collection, and/or with ties shuffled by `tieSeed`. */
export interface SearchMode {
  source?: SearchSource;
  tieSeed?: number;
}

interface Bounds {
  lo: number;
  hi: number;
  /** Every filter is captured by the bounds. */
  exact: boolean;
}

/** Bounds (inclusive lo, exclusive hi) on a numeric column from a single group's range filters. */
function columnBounds(filters: Filter[], name: string, parse: (v: unknown) => number): Bounds {
  let lo = -Infinity;
  let hi = Infinity;
  let used = 0;
  for (const f of filters) {
    if (f.propertyName !== name) continue;
    const v = parse(f.value);
    if (Number.isNaN(v)) continue;
    if (f.operator === 'GTE') (lo = Math.max(lo, v)), used++;
    else if (f.operator === 'GT') (lo = Math.max(lo, v + 1)), used++;
    else if (f.operator === 'LTE') (hi = Math.min(hi, v + 1)), used++;
    else if (f.operator === 'LT') (hi = Math.min(hi, v)), used++;
    else if (f.operator === 'EQ') (lo = Math.max(lo, v)), (hi = Math.min(hi, v + 1)), used++;
    else if (f.operator === 'BETWEEN') (lo = Math.max(lo, v)), (hi = Math.min(hi, parse(f.highValue) + 1)), used++;
  }
  return { lo, hi, exact: used === filters.length };
}

export function runSearch(type: ObjectType, coll: Collection, spec: SearchSpec, mode: SearchMode = {}): { total: number; slots: number[] } {
  if (mode.source || mode.tieSeed !== undefined) return scanSearch(type, mode.source ?? coll, spec, mode.tieSeed);
  const modProp = OBJECTS[type].modifiedProperty;
  const single = spec.groups.length === 1 ? spec.groups[0]!.filters : spec.groups.length === 0 ? [] : undefined;
  const time = (v: unknown) => toComparable('time', v) as number;
  const num = (v: unknown) => Number(v);
  const sortName = spec.sort?.propertyName ?? 'hs_object_id';
  const desc = spec.sort?.direction === 'DESCENDING';
  const { predicate, queryMatch } = matcher(type, coll, spec);
  const end = spec.offset + spec.limit;

  if (sortName === modProp) {
    const b = single ? columnBounds(single, modProp, time) : { lo: -Infinity, hi: Infinity, exact: false };
    const order = coll.modifiedOrder();
    const lo = Number.isFinite(b.lo) ? coll.modifiedLowerBound(b.lo, false) : 0;
    const hi = Number.isFinite(b.hi) ? coll.modifiedLowerBound(b.hi, false) : order.length;
    if (b.exact && !queryMatch) {
      const at = (i: number) => order[desc ? hi - 1 - i : lo + i]!;
      const slots: number[] = [];
      for (let i = spec.offset; i < end && i < hi - lo; i++) slots.push(at(i));
      return { total: Math.max(0, hi - lo), slots };
    }
    return walk(hi - lo, (i) => order[desc ? hi - 1 - i : lo + i]!, predicate, spec.offset, end);
  }

  const b = single ? columnBounds(single, 'hs_object_id', num) : { lo: -Infinity, hi: Infinity, exact: false };
  const lo = Number.isFinite(b.lo) ? coll.lowerBound(b.lo) : 0;
  const hi = Number.isFinite(b.hi) ? coll.lowerBound(b.hi) : coll.size;
  const at = (i: number) => (desc ? hi - 1 - i : lo + i);
  if (sortName === 'hs_object_id') {
    if (b.exact && !queryMatch) {
      const { slots } = walk(hi - lo, at, (s) => coll.isLive(s), spec.offset, end, true);
      return { total: coll.liveInRange(lo, hi), slots };
    }
    return walk(hi - lo, at, (s) => coll.isLive(s) && predicate(s), spec.offset, end);
  }
  const all = walk(hi - lo, at, (s) => coll.isLive(s) && predicate(s), 0, Infinity).slots;
  sortSlots(all, reader(type, coll, sortName), desc, (a, c) => a - c);
  return { total: all.length, slots: all.slice(spec.offset, end) };
}

/** The request's filter groups (OR of ANDs) and `query`, over a collection or a lagging view of one. */
function matcher(type: ObjectType, source: RecordSource, spec: SearchSpec): { predicate: Predicate; queryMatch?: Predicate } {
  const groups = spec.groups.map((g) => g.filters.map((f) => compileFilter(type, source, f)));
  const queryMatch = spec.query ? queryPredicate(source, spec.query, spec.queryProperties) : undefined;
  return { predicate: (s) => (groups.length === 0 || groups.some((g) => g.every((p) => p(s)))) && (!queryMatch || queryMatch(s)), queryMatch };
}

/** Sorts slots by a property, empty values last, equal values by `tie`. */
function sortSlots(slots: number[], read: (slot: number) => number | string | undefined, desc: boolean, tie: (a: number, c: number) => number): void {
  const sign = desc ? -1 : 1;
  slots.sort((a, c) => {
    const x = read(a);
    const y = read(c);
    if (x === y) return tie(a, c);
    if (x === undefined) return 1;
    if (y === undefined) return -1;
    return (x < y ? -1 : 1) * sign;
  });
}

/**
 * The plain way, for the switchable search modes: every visible record of the source is matched,
 * sorted (ties by a seeded hash of the slot when `tieSeed` is set, else by id) and paged. O(n) per
 * page, which is fine for the small worlds those modes are meant for.
 */
function scanSearch(type: ObjectType, source: SearchSource, spec: SearchSpec, tieSeed: number | undefined) {
  const { predicate } = matcher(type, source, spec);
  const all = walk(source.size, (i) => i, (s) => source.isLive(s) && predicate(s), 0, Infinity).slots;
  const tie = tieSeed === undefined ? (a: number, c: number) => a - c : (a: number, c: number) => hash32(tieSeed, a) - hash32(tieSeed, c) || a - c;
  sortSlots(all, reader(type, source, spec.sort?.propertyName ?? 'hs_object_id'), spec.sort?.direction === 'DESCENDING', tie);
  return { total: all.length, slots: all.slice(spec.offset, spec.offset + spec.limit) };
}

/** Walks positions [0, n), counting matches and collecting those at match positions [from, to). */
function walk(n: number, at: (i: number) => number, match: Predicate, from: number, to: number, stopEarly = false) {
  const slots: number[] = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    const s = at(i);
    if (!match(s)) continue;
    if (total >= from && total < to) slots.push(s);
    total++;
    if (stopEarly && total >= to) break;
  }
  return { total, slots };
}

/** The `query` parameter: every word must prefix-match a word of one of the searchable properties. */
function queryPredicate(coll: RecordSource, query: string, names: string[]): Predicate {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return (s) => {
    const text = names.map((n) => coll.prop(s, n) ?? '').join(' ').toLowerCase();
    return words.every((w) => text.split(/[^a-z0-9@.]+/).some((t) => t.startsWith(w)) || text.includes(w));
  };
}
