/**
 * Listings filtered by `updated_since` trail writes by `listingLagMs` (switched on by the sandbox's
 * search realism: startSandbox({ search: { lagMs } })). Pipedrive does not document such a lag; it is
 * here so a client's overlap window is exercised rather than assumed (see README). Every write
 * remembers when it happened; a record written within the lag is left out of such listings.
 */
import type { Dataset, SandboxAccount } from '../core/store.js';
import type { PipedriveContext } from './context.js';
import type { ObjectType } from './objects.js';

const pending = new WeakMap<Dataset, Map<string, Map<number, number>>>();

function writesOf(data: Dataset, type: ObjectType): Map<number, number> {
  let byType = pending.get(data);
  if (!byType) pending.set(data, (byType = new Map()));
  let bySlot = byType.get(type);
  if (!bySlot) byType.set(type, (bySlot = new Map()));
  return bySlot;
}

/** Call on every write of (type, slot). */
export function rememberWrite(ctx: PipedriveContext, account: SandboxAccount, type: ObjectType, slot: number): void {
  if (ctx.options.listingLagMs <= 0) return;
  writesOf(account.data, type).set(slot, ctx.clock.now());
}

/** Slots whose last write the `updated_since` listing does not see yet. */
export function laggingSlots(ctx: PipedriveContext, account: SandboxAccount, type: ObjectType): Set<number> {
  const out = new Set<number>();
  const writes = writesOf(account.data, type);
  const seenUpTo = ctx.clock.now() - ctx.options.listingLagMs;
  for (const [slot, at] of writes) {
    if (ctx.options.listingLagMs > 0 && at > seenUpTo) out.add(slot);
    else writes.delete(slot);
  }
  return out;
}
