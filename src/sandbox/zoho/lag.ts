/**
 * Modified-since listings (`If-Modified-Since`) read an index that trails writes by `lagMs` (the
 * sandbox's search realism, off by default): a record written within the lag shows its previous
 * version there (or is absent if created within it), while get, id-ordered listing and the admin
 * export see the write at once. Every write remembers the record as it was before, stamped with the
 * write time; versions older than the lag are forgotten. Unconfirmed for Zoho (README), kept so a
 * client's overlap window is tested rather than assumed.
 */
import type { Dataset, SandboxAccount } from '../core/store.js';
import type { ZohoContext } from './context.js';
import type { ObjectType } from './modules.js';
import { fullRecord, type ZohoRecord } from './serialize.js';

export interface Snapshot {
  record: ZohoRecord;
  updated: number;
  live: boolean;
}

const history = new WeakMap<Dataset, Map<string, Map<number, { at: number; before: Snapshot | null }[]>>>();

function versionsOf(data: Dataset, type: ObjectType) {
  let byType = history.get(data);
  if (!byType) history.set(data, (byType = new Map()));
  let bySlot = byType.get(type);
  if (!bySlot) byType.set(type, (bySlot = new Map()));
  return bySlot;
}

/** Call before changing (type, slot), or right after creating it with `created: true`. */
export function rememberWrite(ctx: ZohoContext, account: SandboxAccount, type: ObjectType, slot: number, created = false): void {
  if (ctx.options.lagMs <= 0) return;
  const coll = account.data.collections.get(type)!;
  const versions = versionsOf(account.data, type);
  const before = created ? null : { record: fullRecord(account, type, slot), updated: coll.updated[slot]!, live: coll.isLive(slot) };
  versions.set(slot, [...(versions.get(slot) ?? []), { at: ctx.store.clock.now(), before }]);
}

/** Slots the index does not show as they are now, with what it shows instead (null: nothing). */
export function laggingSlots(ctx: ZohoContext, account: SandboxAccount, type: ObjectType): Map<number, Snapshot | null> {
  const out = new Map<number, Snapshot | null>();
  const versions = history.get(account.data)?.get(type);
  if (!versions) return out;
  const indexedUpTo = ctx.store.clock.now() - ctx.options.lagMs;
  for (const [slot, list] of versions) {
    const pending = ctx.options.lagMs > 0 ? list.filter((v) => v.at > indexedUpTo) : [];
    if (pending.length === 0) versions.delete(slot);
    else {
      versions.set(slot, pending);
      out.set(slot, pending[0]!.before);
    }
  }
  return out;
}
