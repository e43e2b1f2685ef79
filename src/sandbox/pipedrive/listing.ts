/**
 * v2 list paging: `cursor` (opaque base64 of where the last page ended) and `limit` (default 100,
 * at most 500), ordered by `sort_by` (id, update_time, add_time) and `sort_direction`, filtered by
 * `updated_since` / `updated_until` (RFC 3339) and by the object's own filters. The next page's cursor
 * is `additional_data.next_cursor`, null on the last page.
 */
import type { Collection } from '../core/collection.js';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 500;

export interface Position { key: number; id: number }

export const encodeCursor = (p: Position) => Buffer.from(JSON.stringify({ k: p.key, i: p.id })).toString('base64url');

export function decodeCursor(cursor: string): Position | null {
  try {
    const raw = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { k?: unknown; i?: unknown };
    return Number.isFinite(raw.k) && Number.isInteger(raw.i) ? { key: raw.k as number, id: raw.i as number } : null;
  } catch {
    return null;
  }
}

export type SortBy = 'id' | 'update_time' | 'add_time';

/** A slot's sort key: the emulator's own millisecond times, so the order matches its modified-time index. */
export function sortKey(coll: Collection, slot: number, by: SortBy): number {
  if (by === 'id') return coll.ids[slot]!;
  return by === 'update_time' ? coll.updated[slot]! : coll.created[slot]!;
}

const after = (a: Position, b: Position) => a.key > b.key || (a.key === b.key && a.id > b.id);

export interface PageRequest {
  by: SortBy;
  descending: boolean;
  limit: number;
  from: Position | null;
  /** Which slots are listed at all (live or deleted) and pass the filters. */
  accept(slot: number): boolean;
  /** Deleted records (status=deleted) rather than live ones. */
  deleted: boolean;
  /** A lower bound on update_time in ms, to start the modified-time index there. */
  updatedSinceMs: number | null;
}

/** One page of slots and where the next page starts (null when none). */
export function pageOf(coll: Collection, req: PageRequest): { slots: number[]; next: Position | null } {
  const slots: number[] = [];
  const position = (slot: number): Position => ({ key: sortKey(coll, slot, req.by), id: coll.ids[slot]! });
  const wanted = (slot: number) => {
    if (!req.from) return true;
    const p = position(slot);
    return req.descending ? after(req.from, p) : after(p, req.from);
  };
  const take = (slot: number): boolean => {
    if (!wanted(slot) || !req.accept(slot)) return false;
    slots.push(slot);
    return slots.length > req.limit;
  };

  if (!req.descending && req.by === 'id' && !req.deleted) {
    // The common full listing: slots are in id order, so start at the cursor with a binary search.
    for (let s = req.from ? coll.lowerBound(req.from.id + 1) : 0; s < coll.size; s++) if (coll.isLive(s) && take(s)) break;
  } else if (!req.descending && req.by === 'update_time' && !req.deleted) {
    const order = coll.modifiedOrder();
    const startMs = Math.max(req.from ? req.from.key : -Infinity, req.updatedSinceMs ?? -Infinity);
    for (let i = Number.isFinite(startMs) ? coll.modifiedLowerBound(startMs, false) : 0; i < order.length; i++) if (take(order[i]!)) break;
  } else {
    // Other orders (rare: descending, add_time, deleted records) sort what passes the filters.
    const all: number[] = [];
    for (let s = 0; s < coll.size; s++) if ((req.deleted ? coll.isArchived(s) : coll.isLive(s)) && wanted(s) && req.accept(s)) all.push(s);
    const cmp = (a: number, b: number) => { const pa = position(a); const pb = position(b); return pa.key - pb.key || pa.id - pb.id; };
    all.sort((a, b) => (req.descending ? cmp(b, a) : cmp(a, b)));
    slots.push(...all.slice(0, req.limit + 1));
  }
  const more = slots.length > req.limit;
  if (more) slots.length = req.limit;
  return { slots, next: more ? position(slots[slots.length - 1]!) : null };
}
