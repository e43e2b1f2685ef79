/**
 * The search index's view of records under `searchLagMs` (see search-settings.ts): every write made
 * while a lag is set first remembers the record as it was, stamped with the write time. At search time
 * T = now − lag, a record whose earliest remembered write is after T is seen as it was before that
 * write (`null` = did not exist yet); entries at or before T are indexed and dropped. History is kept
 * per dataset, so reseeding forgets it.
 */
import type { Collection, Props } from '../core/collection.js';
import type { Dataset, SandboxAccount } from '../core/store.js';
import type { HubspotContext } from './context.js';
import type { ObjectType } from './objects.js';
import type { SearchSource } from './search.js';
import { searchSettings } from './search-settings.js';

export interface Snapshot {
  props: Props;
  created: number;
  updated: number;
  archived: boolean;
  archivedAt: number;
}

interface Version {
  at: number;
  before: Snapshot | null;
}

const history = new WeakMap<Dataset, Map<string, Map<number, Version[]>>>();

function versionsOf(data: Dataset, type: ObjectType): Map<number, Version[]> {
  let byType = history.get(data);
  if (!byType) history.set(data, (byType = new Map()));
  let bySlot = byType.get(type);
  if (!bySlot) byType.set(type, (bySlot = new Map()));
  return bySlot;
}

export function snapshotOf(coll: Collection, slot: number): Snapshot {
  return { props: coll.props(slot), created: coll.created[slot]!, updated: coll.updated[slot]!, archived: coll.isArchived(slot), archivedAt: coll.archivedAt[slot]! };
}

/** Call before changing (type, slot), or right after creating it with `created: true`. */
export function rememberForSearch(ctx: HubspotContext, account: SandboxAccount, type: ObjectType, slot: number, created = false): void {
  if (searchSettings(ctx).searchLagMs <= 0) return;
  const coll = account.data.collections.get(type)!;
  const versions = versionsOf(account.data, type);
  const list = versions.get(slot) ?? [];
  list.push({ at: ctx.store.clock.now(), before: created ? null : snapshotOf(coll, slot) });
  versions.set(slot, list);
}

/** Slots the index does not yet see as they are now, with what it sees instead; empty when none. */
export function laggingVersions(ctx: HubspotContext, account: SandboxAccount, type: ObjectType): Map<number, Snapshot | null> {
  const out = new Map<number, Snapshot | null>();
  const lag = searchSettings(ctx).searchLagMs;
  const versions = history.get(account.data)?.get(type);
  if (!versions) return out;
  const indexedUpTo = ctx.store.clock.now() - lag;
  for (const [slot, list] of versions) {
    const pending = lag > 0 ? list.filter((v) => v.at > indexedUpTo) : [];
    if (pending.length === 0) versions.delete(slot);
    else {
      versions.set(slot, pending);
      out.set(slot, pending[0]!.before);
    }
  }
  return out;
}

/** The collection as the index sees it: lagging slots read from their snapshot (or are invisible). */
export function laggingView(coll: Collection, lagging: Map<number, Snapshot | null>): SearchSource {
  const updated = coll.updated.slice();
  for (const [slot, v] of lagging) if (v) updated[slot] = v.updated;
  return {
    size: coll.size,
    ids: coll.ids,
    created: coll.created,
    updated,
    prop: (s, name) => (lagging.has(s) ? lagging.get(s)?.props[name] : coll.prop(s, name)),
    isLive: (s) => (lagging.has(s) ? !!lagging.get(s) && !lagging.get(s)!.archived : coll.isLive(s)),
  };
}
