/**
 * Which slots a SOQL query must read, as Salesforce's indexes would narrow it: bounds and `IN`
 * lists on the Id (ids grow with slots), and `SystemModstamp` / `LastModifiedDate` lower bounds
 * through the modified index. Contact roles are narrowed by their opportunity's slot. Only
 * conditions alone or in a top-level AND narrow; every candidate row is still tested by WHERE, so
 * a candidate set may be larger than the answer, never smaller. This keeps keyset pages, a page of
 * deals' contact roles and an incremental sync's queries cheap at 1M rows.
 */
import type { SandboxAccount } from '../core/store.js';
import { extrasOf, type SalesforceContext } from './context.js';
import { CONTACT_ROLE, SOBJECTS, sfId, typeOfSObject, type ObjectType, type SObjectSpec } from './objects.js';
import { lagging } from './commit-lag.js';
import type { Query } from './soql.js';

/** Slots in [from, to), and when `only` is given, only those of them (ascending). */
export interface Candidates { from: number; to: number; only?: number[] }

export const ALL_SLOTS: Candidates = { from: 0, to: Infinity };

/** The candidate slots, ascending, below `size`. */
export function* slotsOf(candidates: Candidates, size: number): Generator<number> {
  const end = Math.min(candidates.to, size);
  if (!candidates.only) {
    for (let s = candidates.from; s < end; s++) yield s;
    return;
  }
  for (const s of candidates.only) if (s >= candidates.from && s < end) yield s;
}

type Where = Query['where'];

const conjuncts = (where: Where) => (!where ? [] : where.kind === 'and' ? where.parts : [where]);

export function candidatesOf(ctx: SalesforceContext, a: SandboxAccount, spec: SObjectSpec, where: Where): Candidates {
  const since = modifiedSince(where);
  if (spec === CONTACT_ROLE) {
    const byDeal = byId(a, 'deals', where, 'opportunityid');
    return since === null ? byDeal : narrow(byDeal, dealsWithRolesChangedSince(ctx, a, since));
  }
  const type = typeOfSObject(spec.type);
  if (!type) return ALL_SLOTS;
  const byOwnId = byId(a, type, where, 'id');
  return since === null ? byOwnId : narrow(byOwnId, modifiedSlots(ctx, a, type, since));
}

function narrow(candidates: Candidates, only: number[]): Candidates {
  if (!candidates.only) return { ...candidates, only };
  const keep = new Set(only);
  return { ...candidates, only: candidates.only.filter((s) => keep.has(s)) };
}

/** Bounds (`>`, `>=`, `=`, `<`, `<=`) and `IN` lists on an id field of `type`'s records. */
function byId(a: SandboxAccount, type: ObjectType, where: Where, field: string): Candidates {
  const coll = a.data.collections.get(type)!;
  const prefix = SOBJECTS[type].keyPrefix;
  const range: Candidates = { from: 0, to: coll.size };
  // The first slot whose id is at least `id`.
  const lowerBound = (id: string) => {
    let low = 0;
    let high = coll.size;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (sfId(prefix, coll.ids[mid]!) < id) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  let only: number[] | undefined;
  for (const c of conjuncts(where)) {
    if ((c.kind !== 'compare' && c.kind !== 'in') || c.field.toLowerCase() !== field) continue;
    if (c.kind === 'in') {
      if (c.negated || !c.values.every((v) => typeof v === 'string')) continue;
      const slots = (c.values as string[]).map((id) => slotOfId(coll, prefix, id)).filter((s) => s >= 0);
      only = [...new Set(only ? slots.filter((s) => only!.includes(s)) : slots)].sort((x, y) => x - y);
    } else if (typeof c.value === 'string') {
      if (c.op === '>' || c.op === '>=' || c.op === '=') range.from = Math.max(range.from, lowerBound(c.value));
      if (c.op === '<' || c.op === '<=' || c.op === '=') range.to = Math.min(range.to, lowerBound(c.value) + 1);
    }
  }
  return only ? { ...range, only } : range;
}

/** The slot of an 18-character id of this key prefix (see sfId), or -1. */
function slotOfId(coll: { slotOf(id: number): number }, prefix: string, id: string): number {
  if (id.length !== 18 || !id.startsWith(prefix)) return -1;
  const n = Number(id.slice(prefix.length, 15));
  return Number.isInteger(n) ? coll.slotOf(n) : -1;
}

/** The time a WHERE requires `SystemModstamp` or `LastModifiedDate` to reach (`>=` / `>`). */
function modifiedSince(where: Where): number | null {
  let since: number | null = null;
  for (const c of conjuncts(where)) {
    if (c.kind !== 'compare' || (c.op !== '>' && c.op !== '>=') || c.value === null || typeof c.value !== 'object') continue;
    if (c.field.toLowerCase() === 'systemmodstamp' || c.field.toLowerCase() === 'lastmodifieddate') since = Math.max(since ?? -Infinity, c.value.date);
  }
  return since;
}

/**
 * The slots whose record may have changed since `since`, ascending: from the modified index (live
 * records), with the recycle bin and writes not yet committed added. A second of slack covers
 * timestamps shown to the second.
 */
function modifiedSlots(ctx: SalesforceContext, a: SandboxAccount, type: ObjectType, since: number): number[] {
  const coll = a.data.collections.get(type)!;
  const slots = new Set(coll.modifiedOrder().slice(coll.modifiedLowerBound(since - 1000, false)));
  for (const s of coll.page(0, coll.size, true)) slots.add(s);
  for (const s of lagging(ctx, a, type).keys()) slots.add(s);
  return [...slots].sort((x, y) => x - y);
}

/**
 * Opportunities whose contact roles may have changed since `since`: a seeded role is stamped with its
 * opportunity's creation and a deleted opportunity's roles with its deletion (both move the
 * opportunity's own stamp); a role added or removed later is kept with its own stamp.
 */
function dealsWithRolesChangedSince(ctx: SalesforceContext, a: SandboxAccount, since: number): number[] {
  const deals = new Set(modifiedSlots(ctx, a, 'deals', since));
  for (const role of extrasOf(ctx, a.data).roles.values()) if (role.modstamp >= since - 1000) deals.add(role.deal);
  return [...deals].sort((x, y) => x - y);
}
