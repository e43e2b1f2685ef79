/**
 * One object type's records in one account, stored as columns so a million of them fit in a few tens of
 * megabytes. Seeded records keep no properties of their own: `derive(ordinal)` recomputes them from the
 * seed, and only values written later live in `overrides`. Ids only ever grow, so slot order is id
 * order and an `after` cursor is a binary search. Live records are also indexed by (updatedAt, id) for
 * "modified since" searches; the index is built on first use and then kept up to date.
 */
import { ModifiedIndex } from './modified-index.js';
import { lowerBound } from './sorted.js';

export type Props = Record<string, string>;
export type Deriver = (ordinal: number) => Props;

const DELETED = -1;

export interface SeedColumns {
  ids: number[];
  created: number[];
  updated: number[];
}

export class Collection {
  readonly ids: number[];
  readonly created: number[];
  readonly updated: number[];
  /** 0 = live, > 0 = archived at that time, -1 = hard-deleted. */
  readonly archivedAt: number[];
  readonly overrides = new Map<number, Props>();
  private archivedSlots: number[] = [];
  private deletedSlots: number[] = [];
  private readonly modIndex: ModifiedIndex;
  private uniqueIndexes = new Map<string, Map<string, number>>();
  private nextId: number;
  liveCount: number;

  constructor(
    readonly type: string,
    seed: SeedColumns,
    private readonly derive: Deriver,
    firstNewId: number,
  ) {
    this.ids = seed.ids;
    this.created = seed.created;
    this.updated = seed.updated;
    this.archivedAt = new Array<number>(seed.ids.length).fill(0);
    this.liveCount = seed.ids.length;
    this.baseCount = seed.ids.length;
    const last = seed.ids[seed.ids.length - 1] ?? 0;
    this.nextId = Math.max(firstNewId, last + 1);
    this.modIndex = new ModifiedIndex(this.updated, () => {
      const slots: number[] = [];
      for (let s = 0; s < this.ids.length; s++) if (this.archivedAt[s] === 0) slots.push(s);
      return slots;
    });
  }
  private readonly baseCount: number;

  get size(): number {
    return this.ids.length;
  }

  /** Slot of a record by id, archived included, hard-deleted excluded; -1 when unknown. */
  slotOf(id: number): number {
    const slot = this.lowerBound(id);
    return this.ids[slot] === id && this.archivedAt[slot] !== DELETED ? slot : -1;
  }

  /** First slot whose id is >= id. */
  lowerBound(id: number): number {
    return lowerBound(this.ids, id);
  }

  isLive(slot: number): boolean {
    return this.archivedAt[slot] === 0;
  }

  isArchived(slot: number): boolean {
    return (this.archivedAt[slot] ?? 0) > 0;
  }

  props(slot: number): Props {
    const base = slot < this.baseCount ? this.derive(slot) : {};
    const own = this.overrides.get(slot);
    return own ? Object.assign(base, own) : base;
  }

  prop(slot: number, name: string): string | undefined {
    const own = this.overrides.get(slot);
    if (own && name in own) return own[name];
    return slot < this.baseCount ? this.derive(slot)[name] : undefined;
  }

  /** Slots of live (archived = false) or archived records, in id order, starting at slot `from`. */
  page(from: number, limit: number, archived: boolean): number[] {
    const out: number[] = [];
    if (archived) {
      let i = lowerBound(this.archivedSlots, from);
      while (out.length < limit && i < this.archivedSlots.length) out.push(this.archivedSlots[i++]!);
      return out;
    }
    for (let s = from; s < this.ids.length && out.length < limit; s++) if (this.archivedAt[s] === 0) out.push(s);
    return out;
  }

  create(props: Props, now: number): number {
    const slot = this.ids.length;
    this.ids.push(this.nextId++);
    this.created.push(now);
    this.updated.push(now);
    this.archivedAt.push(0);
    this.overrides.set(slot, { ...props });
    this.liveCount++;
    this.indexInsert(slot);
    for (const [name, index] of this.uniqueIndexes) if (props[name]) index.set(props[name].toLowerCase(), slot);
    return slot;
  }

  /** Writes the values that differ and moves updatedAt; returns the changed names. */
  update(slot: number, props: Props, now: number): string[] {
    const current = this.props(slot);
    const changed = Object.keys(props).filter((k) => (current[k] ?? '') !== props[k]);
    if (changed.length === 0) return changed;
    const own = this.overrides.get(slot) ?? {};
    for (const k of changed) {
      const index = this.uniqueIndexes.get(k);
      if (index && current[k]) index.delete(current[k].toLowerCase());
      if (index && props[k]) index.set(props[k].toLowerCase(), slot);
      own[k] = props[k]!;
    }
    this.overrides.set(slot, own);
    this.touch(slot, now);
    return changed;
  }

  /** Moves updatedAt without changing properties (kept in the modified index). */
  touch(slot: number, now: number): void {
    const live = this.isLive(slot);
    if (live) this.indexRemove(slot);
    this.updated[slot] = Math.max(now, this.updated[slot]!);
    if (live) this.indexInsert(slot);
  }

  archive(slot: number, now: number): void {
    if (!this.isLive(slot)) return;
    this.indexRemove(slot);
    this.archivedAt[slot] = now;
    this.updated[slot] = Math.max(now, this.updated[slot]!);
    this.archivedSlots.splice(lowerBound(this.archivedSlots, slot), 0, slot);
    this.liveCount--;
  }

  restore(slot: number, now: number): void {
    if (!this.isArchived(slot)) return;
    this.archivedSlots.splice(lowerBound(this.archivedSlots, slot), 1);
    this.archivedAt[slot] = 0;
    this.updated[slot] = Math.max(now, this.updated[slot]!);
    this.liveCount++;
    this.indexInsert(slot);
  }

  /** Permanent delete (GDPR-style): the record disappears from lists, archived lists and search. */
  hardDelete(slot: number): void {
    if (this.isLive(slot)) {
      this.indexRemove(slot);
      this.liveCount--;
    } else if (this.isArchived(slot)) {
      this.archivedSlots.splice(lowerBound(this.archivedSlots, slot), 1);
    }
    this.archivedAt[slot] = DELETED;
    this.overrides.delete(slot);
    this.deletedSlots.splice(lowerBound(this.deletedSlots, slot), 0, slot);
  }

  /** Number of live records among slots [lo, hi). */
  liveInRange(lo: number, hi: number): number {
    const inRange = (list: number[]) => lowerBound(list, hi) - lowerBound(list, lo);
    return Math.max(0, hi - lo - inRange(this.archivedSlots) - inRange(this.deletedSlots));
  }

  /** Live slots ordered by (updatedAt, id). */
  modifiedOrder(): number[] {
    return this.modIndex.slots();
  }

  /** Position in modifiedOrder() of the first record with updatedAt >= t (or > t when strict). */
  modifiedLowerBound(t: number, strict: boolean): number {
    return this.modIndex.lowerBound(t, strict);
  }

  /** Live-or-archived slot holding a unique value (e.g. contact email), case-insensitive. */
  findUnique(name: string, value: string): number {
    let index = this.uniqueIndexes.get(name);
    if (!index) {
      index = new Map();
      for (let s = 0; s < this.ids.length; s++) {
        const v = this.archivedAt[s] === DELETED ? undefined : this.prop(s, name);
        if (v) index.set(v.toLowerCase(), s);
      }
      this.uniqueIndexes.set(name, index);
    }
    const slot = index.get(value.toLowerCase());
    return slot === undefined || this.archivedAt[slot] === DELETED ? -1 : slot;
  }

  private indexInsert(slot: number): void {
    this.modIndex.insert(slot);
  }

  private indexRemove(slot: number): void {
    this.modIndex.remove(slot);
  }
}
