/**
 * Live record slots ordered by (updatedAt, slot), the index behind "modified since" searches. Built on
 * first use (a million-entry sort takes a few hundred ms, which seeding should not pay when nobody
 * searches) and then kept current by the collection on every write.
 */
export class ModifiedIndex {
  private order: number[] | null = null;

  constructor(
    private readonly updated: readonly number[],
    private readonly liveSlots: () => number[],
  ) {}

  slots(): number[] {
    if (!this.order) {
      const slots = this.liveSlots();
      const upd = this.updated;
      slots.sort((a, b) => upd[a]! - upd[b]! || a - b);
      this.order = slots;
    }
    return this.order;
  }

  /** Position of the first record with updatedAt >= t (or > t when strict). */
  lowerBound(t: number, strict: boolean): number {
    const order = this.slots();
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const u = this.updated[order[mid]!]!;
      if (u < t || (strict && u === t)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Call after the slot's updatedAt is final. No-op until the index is built. */
  insert(slot: number): void {
    if (this.order) this.order.splice(this.position(slot), 0, slot);
  }

  /** Call before the slot's updatedAt changes. */
  remove(slot: number): void {
    if (!this.order) return;
    const at = this.position(slot);
    if (this.order[at] === slot) this.order.splice(at, 1);
  }

  private position(slot: number): number {
    const order = this.order!;
    const u = this.updated[slot]!;
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = order[mid]!;
      if ((this.updated[other]! - u || other - slot) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
