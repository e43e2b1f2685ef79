/**
 * Record writes shared by the v2 API and the admin API: create, update, soft delete, restore and
 * links. Each fires the webhooks v2 event Pipedrive would send and is remembered for the listing lag.
 * Links are single-valued (`org_id`, `person_id`): setting one replaces the previous.
 */
import type { Props } from '../core/collection.js';
import type { SandboxAccount } from '../core/store.js';
import type { PipedriveContext, RecordChange } from './context.js';
import { rememberWrite } from './lag.js';
import { OBJECTS, OBJECT_TYPES, type ObjectType } from './objects.js';
import { collectionOf, completeName, serialize, type ParsedWrite } from './serialize.js';

export type WriteResult = { ok: true; slot: number } | { ok: false; status: number; message: string };

/** Days a deleted record stays restorable and listed with `status=deleted`, then it is gone. */
export const PURGE_AFTER_MS = 30 * 86_400_000;

function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(before)) if (k !== 'update_time' && JSON.stringify(v) !== JSON.stringify(after[k])) previous[k] = v;
  return previous;
}

function emit(ctx: PipedriveContext, account: SandboxAccount, type: ObjectType, action: RecordChange['action'], slot: number, before: Record<string, unknown> | null, source: RecordChange['source'], mergedInto?: number) {
  const current = serialize(account, type, slot);
  ctx.emit({ action, type, accountId: account.id, current, previous: before && action === 'change' ? changedFields(before, current) : before, source, mergedInto });
}

function checkLinks(account: SandboxAccount, links: ParsedWrite['links']): string | null {
  for (const [other, id] of Object.entries(links)) {
    if (id === null || id === undefined) continue;
    const slot = collectionOf(account, other as ObjectType).slotOf(id);
    if (slot < 0 || !collectionOf(account, other as ObjectType).isLive(slot)) return `${OBJECTS[other as ObjectType].entity} with id ${id} not found`;
  }
  return null;
}

function applyLinks(account: SandboxAccount, type: ObjectType, slot: number, links: ParsedWrite['links']): boolean {
  let changed = false;
  for (const [other, id] of Object.entries(links) as [ObjectType, number | null][]) {
    const assoc = account.data.associations;
    const target = id === null ? -1 : collectionOf(account, other).slotOf(id);
    const existing = assoc.get(type, slot, other);
    if (existing.length === 1 && existing[0] === target) continue;
    for (const old of existing) assoc.remove(type, slot, other, old);
    if (target >= 0) assoc.add(type, slot, other, target);
    changed = true;
  }
  return changed;
}

export function createRecord(ctx: PipedriveContext, account: SandboxAccount, type: ObjectType, write: ParsedWrite, source: RecordChange['source']): WriteResult {
  const problem = checkLinks(account, write.links);
  if (problem) return { ok: false, status: 400, message: problem };
  const props: Props = { owner_id: String(account.users[0]!.id), ...write.props };
  if (type === 'contacts' && props.name === '') completeName({}, props);
  if ((type === 'contacts' || type === 'companies') && !props.name) return { ok: false, status: 400, message: 'Name must be given.' };
  if (type === 'deals' && !props.title) return { ok: false, status: 400, message: 'Title must be given.' };
  if (type === 'deals') {
    props.pipeline_id ||= '1';
    props.stage_id ||= '1';
    props.status ||= 'open';
    props.currency ||= 'USD';
    props.value ||= '0';
  }
  const now = ctx.clock.now();
  const slot = collectionOf(account, type).create(props, now);
  applyLinks(account, type, slot, write.links);
  rememberWrite(ctx, account, type, slot);
  emit(ctx, account, type, 'create', slot, null, source);
  return { ok: true, slot };
}

export function updateRecord(ctx: PipedriveContext, account: SandboxAccount, type: ObjectType, slot: number, write: ParsedWrite, source: RecordChange['source']): WriteResult {
  const coll = collectionOf(account, type);
  if (!coll.isLive(slot)) return { ok: false, status: 404, message: `${OBJECTS[type].entity} not found` };
  const problem = checkLinks(account, write.links);
  if (problem) return { ok: false, status: 400, message: problem };
  const before = serialize(account, type, slot);
  const props = { ...write.props };
  if (type === 'contacts' && props.name === '') completeName(coll.props(slot), props);
  const changed = coll.update(slot, props, ctx.clock.now()).length > 0;
  // A new link is an edit of the record holding it: its update_time moves like any other field's.
  if (applyLinks(account, type, slot, write.links) && !changed) coll.touch(slot, ctx.clock.now());
  rememberWrite(ctx, account, type, slot);
  emit(ctx, account, type, 'change', slot, before, source);
  return { ok: true, slot };
}

/** Soft delete: out of every listing, `is_deleted: true`, restorable for 30 days. */
export function deleteRecord(ctx: PipedriveContext, account: SandboxAccount, type: ObjectType, slot: number, source: RecordChange['source']): void {
  const coll = collectionOf(account, type);
  if (!coll.isLive(slot)) return;
  const before = serialize(account, type, slot);
  coll.archive(slot, ctx.clock.now());
  rememberWrite(ctx, account, type, slot);
  emit(ctx, account, type, 'delete', slot, before, source);
}

/**
 * Merges `fromSlot` into `intoSlot` (persons or organizations): records linked to the merged one are
 * linked to the survivor (each an edit of the record holding the link), the merged record is deleted,
 * the survivor changes. Webhooks see a delete (`merged_to_id`) and a change, as Pipedrive sends them.
 */
export function mergeRecords(ctx: PipedriveContext, account: SandboxAccount, type: ObjectType, fromSlot: number, intoSlot: number, source: RecordChange['source']): void {
  const coll = collectionOf(account, type);
  const intoId = coll.ids[intoSlot]!;
  for (const holder of OBJECT_TYPES) {
    if (!OBJECTS[holder].links[type]) continue;
    for (const holderSlot of [...account.data.associations.get(type, fromSlot, holder)]) {
      if (collectionOf(account, holder).isLive(holderSlot)) updateRecord(ctx, account, holder, holderSlot, { props: {}, links: { [type]: intoId } }, source);
    }
  }
  const before = serialize(account, type, fromSlot);
  coll.archive(fromSlot, ctx.clock.now());
  rememberWrite(ctx, account, type, fromSlot);
  emit(ctx, account, type, 'delete', fromSlot, before, source, intoId);
  const survivorBefore = serialize(account, type, intoSlot);
  coll.touch(intoSlot, ctx.clock.now());
  rememberWrite(ctx, account, type, intoSlot);
  emit(ctx, account, type, 'change', intoSlot, survivorBefore, source);
}

export function restoreRecord(ctx: PipedriveContext, account: SandboxAccount, type: ObjectType, slot: number): void {
  const coll = collectionOf(account, type);
  if (!coll.isArchived(slot)) return;
  coll.restore(slot, ctx.clock.now());
  rememberWrite(ctx, account, type, slot);
  emit(ctx, account, type, 'change', slot, null, 'app');
}

/** Whether a deleted record is past the 30 days Pipedrive keeps it. */
export function isPurged(ctx: PipedriveContext, account: SandboxAccount, type: ObjectType, slot: number): boolean {
  const coll = collectionOf(account, type);
  return coll.isArchived(slot) && coll.archivedAt[slot]! <= ctx.clock.now() - PURGE_AFTER_MS;
}

/**
 * A link made or removed between two records (admin API): whichever side holds the link in
 * Pipedrive is edited (a deal's person, a person's organization). Returns whether anything changed.
 */
export function setLink(ctx: PipedriveContext, account: SandboxAccount, from: ObjectType, fromSlot: number, to: ObjectType, toSlot: number, remove: boolean): boolean {
  const [holder, holderSlot, other, otherSlot] = OBJECTS[from].links[to] ? [from, fromSlot, to, toSlot] : [to, toSlot, from, fromSlot];
  if (!OBJECTS[holder].links[other]) return false;
  const current = account.data.associations.get(holder, holderSlot, other);
  if (remove && !current.includes(otherSlot)) return false;
  if (!remove && current.length === 1 && current[0] === otherSlot) return false;
  const id = remove ? null : collectionOf(account, other).ids[otherSlot]!;
  const r = updateRecord(ctx, account, holder, holderSlot, { props: {}, links: { [other]: id } }, 'app');
  return r.ok;
}

export { OBJECT_TYPES };
