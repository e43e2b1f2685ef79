/**
 * HubSpot associations are two-way: a contact linked to a company is listed under the company too
 * (https://developers.hubspot.com/docs/api/crm/associations: every association is readable from both
 * records).
 * The core store answers the reverse direction of a seeded column with an empty list (its reverse
 * lookup reads the wrong column), so a company never listed its seeded contacts or deals and a contact
 * never listed its seeded deals; and linking a company through the API replaced its seeded contacts
 * with the new one. This subclass answers the reverse direction from its own index over the seeded
 * columns until a record's links change (then the core's explicit lists, now built from correct reads,
 * win as before). Kept here because core/ is being reshaped elsewhere; the one-line core fix
 * (`reverseIndex(from, to)` in `get`) makes it redundant.
 */
import { AssociationStore } from '../core/associations.js';

interface ReverseIndex {
  offsets: Int32Array;
  items: Int32Array;
}

export class TwoWayAssociationStore extends AssociationStore {
  private readonly seeded = new Map<string, Int32Array>();
  private readonly reversed = new Map<string, ReverseIndex>();
  /** `type|slot|other` keys whose list the core store now holds explicitly. */
  private readonly changed = new Set<string>();

  override setColumn(from: string, to: string, column: Int32Array): void {
    super.setColumn(from, to, column);
    this.seeded.set(`${from}>${to}`, column);
    this.reversed.delete(`${to}>${from}`);
  }

  override get(from: string, slot: number, to: string): number[] {
    if (this.changed.has(`${from}|${slot}|${to}`) || this.seeded.has(`${from}>${to}`)) return super.get(from, slot, to);
    const index = this.reverseOf(from, to);
    if (!index || slot + 1 >= index.offsets.length) return [];
    return Array.from(index.items.subarray(index.offsets[slot]!, index.offsets[slot + 1]!));
  }

  override add(from: string, slot: number, to: string, toSlot: number): boolean {
    return this.mark(super.add(from, slot, to, toSlot), from, slot, to, toSlot);
  }

  override remove(from: string, slot: number, to: string, toSlot: number): boolean {
    return this.mark(super.remove(from, slot, to, toSlot), from, slot, to, toSlot);
  }

  private mark(done: boolean, from: string, slot: number, to: string, toSlot: number): boolean {
    if (done) this.changed.add(`${from}|${slot}|${to}`).add(`${to}|${toSlot}|${from}`);
    return done;
  }

  /** For (from, to) without a seeded column: which `from` slots each `to`-side column entry points at. */
  private reverseOf(from: string, to: string): ReverseIndex | undefined {
    const key = `${from}>${to}`;
    const cached = this.reversed.get(key);
    if (cached) return cached;
    const column = this.seeded.get(`${to}>${from}`);
    if (!column) return undefined;
    let max = -1;
    for (let i = 0; i < column.length; i++) if (column[i]! > max) max = column[i]!;
    const offsets = new Int32Array(max + 2);
    for (let i = 0; i < column.length; i++) if (column[i]! >= 0) offsets[column[i]! + 1]!++;
    for (let i = 1; i < offsets.length; i++) offsets[i]! += offsets[i - 1]!;
    const fill = offsets.slice(0, max + 1);
    const items = new Int32Array(offsets[max + 1] ?? 0);
    for (let i = 0; i < column.length; i++) if (column[i]! >= 0) items[fill[column[i]!]!++] = i;
    const index = { offsets, items };
    this.reversed.set(key, index);
    return index;
  }
}
