/**
 * Links between records, by slot. Seeded links are one column per (from, to) pair (each seeded contact
 * has one company, each deal one company and one contact); the opposite direction is a compressed
 * index built on first use. A record whose links change gets an explicit list that then wins over the
 * seeded column, on both ends, so reads stay O(links) and a million seeded records cost three Int32Arrays.
 */
export class AssociationStore {
  private readonly columns = new Map<string, Int32Array>();
  private readonly reverse = new Map<string, { offsets: Int32Array; items: Int32Array }>();
  private readonly explicit = new Map<string, number[]>();

  /** Declares the seeded links from every `from` slot i to slot column[i] of `to` (-1 = none). */
  setColumn(from: string, to: string, column: Int32Array): void {
    this.columns.set(`${from}>${to}`, column);
    this.reverse.delete(`${to}>${from}`);
  }

  /** Slots of `to` records linked to (from, slot), in link order. */
  get(from: string, slot: number, to: string): number[] {
    const own = this.explicit.get(`${from}|${slot}|${to}`);
    if (own) return own;
    const column = this.columns.get(`${from}>${to}`);
    if (column) {
      const target = slot < column.length ? column[slot]! : -1;
      return target >= 0 ? [target] : [];
    }
    const index = this.reverseIndex(from, to);
    if (!index || slot + 1 >= index.offsets.length) return [];
    return Array.from(index.items.subarray(index.offsets[slot]!, index.offsets[slot + 1]!));
  }

  /** Links both ends; returns false when they were already linked. */
  add(from: string, slot: number, to: string, toSlot: number): boolean {
    const forward = this.get(from, slot, to);
    if (forward.includes(toSlot)) return false;
    this.explicit.set(`${from}|${slot}|${to}`, [...forward, toSlot]);
    this.explicit.set(`${to}|${toSlot}|${from}`, [...this.get(to, toSlot, from), slot]);
    return true;
  }

  /** Unlinks both ends; returns false when they were not linked. */
  remove(from: string, slot: number, to: string, toSlot: number): boolean {
    const forward = this.get(from, slot, to);
    if (!forward.includes(toSlot)) return false;
    this.explicit.set(`${from}|${slot}|${to}`, forward.filter((s) => s !== toSlot));
    this.explicit.set(`${to}|${toSlot}|${from}`, this.get(to, toSlot, from).filter((s) => s !== slot));
    return true;
  }

  /** Drops every link of a record (hard delete). */
  removeAll(type: string, slot: number, otherTypes: readonly string[]): void {
    for (const other of otherTypes) for (const t of [...this.get(type, slot, other)]) this.remove(type, slot, other, t);
  }

  private reverseIndex(from: string, to: string): { offsets: Int32Array; items: Int32Array } | undefined {
    const key = `${from}>${to}`;
    const cached = this.reverse.get(key);
    if (cached) return cached;
    const column = this.columns.get(`${to}>${from}`);
    if (!column) return undefined;
    let max = -1;
    for (let i = 0; i < column.length; i++) if (column[i]! > max) max = column[i]!;
    const offsets = new Int32Array(max + 2);
    for (let i = 0; i < column.length; i++) if (column[i]! >= 0) offsets[column[i]! + 1]!++;
    for (let i = 1; i < offsets.length; i++) offsets[i]! += offsets[i - 1]!;
    const fill = offsets.slice(0, max + 1);
    const items = new Int32Array(offsets[max + 1] ?? 0);
    for (let i = 0; i < column.length; i++) {
      const t = column[i]!;
      if (t >= 0) items[fill[t]!++] = i;
    }
    const index = { offsets, items };
    this.reverse.set(key, index);
    return index;
  }
}
