/**
 * The emulator's commit lag (`commitLagMs`): for a moment after a write, SOQL still sees the row as it
 * was, as Salesforce's queries can trail a commit. A write remembers the row it replaces; a query asks
 * which rows are still lagging and what it sees of them. Its own module: queries (candidates.ts,
 * query.ts) and writes (records.ts) both need it, and neither should import the other for it.
 */
import type { SandboxAccount } from '../core/store.js';
import { extrasOf, type SalesforceContext } from './context.js';

/** What a write needs remembered first: the row as SOQL saw it (null = did not exist). */
export function remember(ctx: SalesforceContext, a: SandboxAccount, type: string, slot: number, before: Record<string, unknown> | null): void {
  if (ctx.options.commitLagMs <= 0) return;
  const history = extrasOf(ctx, a.data).history;
  let bySlot = history.get(type);
  if (!bySlot) history.set(type, (bySlot = new Map()));
  const list = bySlot.get(slot) ?? [];
  list.push({ at: ctx.store.clock.now(), before });
  bySlot.set(slot, list);
}

/** Slots whose latest writes SOQL does not see yet, with the row it sees instead (null: none). */
export function lagging(ctx: SalesforceContext, a: SandboxAccount, type: string): Map<number, Record<string, unknown> | null> {
  const out = new Map<number, Record<string, unknown> | null>();
  const bySlot = extrasOf(ctx, a.data).history.get(type);
  if (!bySlot) return out;
  const committedUpTo = ctx.store.clock.now() - ctx.options.commitLagMs;
  for (const [slot, list] of bySlot) {
    const pending = list.filter((v) => v.at > committedUpTo);
    if (pending.length === 0) bySlot.delete(slot);
    else {
      bySlot.set(slot, pending);
      out.set(slot, pending[0]!.before);
    }
  }
  return out;
}
