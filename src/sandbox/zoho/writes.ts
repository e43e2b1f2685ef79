/**
 * Record writes shared by the API and the admin routes: values checked and stored by field type,
 * mandatory fields, lookups (a link in the association store; changing one is an edit of the record
 * holding it, so its Modified_Time moves), the recycle bin and its deletion log.
 */
import type { Props } from '../core/collection.js';
import type { SandboxAccount } from '../core/store.js';
import { deletionKey, type ZohoContext } from './context.js';
import { fromZohoId, toSecond, toZohoId } from './ids.js';
import { notifyChange } from './notifications.js';
import { rememberWrite } from './lag.js';
import { MODULES, fieldOf, lookupsOf, type ObjectType } from './modules.js';

export interface RowError { code: string; message: string; details: Record<string, unknown> }
export type WriteResult = { ok: true; slot: number } | ({ ok: false } & RowError);

interface Parsed { props: Props; links: { to: ObjectType; slot: number }[] }

const invalid = (apiName: string, index: number, message = 'invalid data'): { ok: false } & RowError => ({
  ok: false, code: 'INVALID_DATA', message, details: { api_name: apiName, json_path: `$.data[${index}].${apiName}` },
});

const idOf = (raw: unknown): number => fromZohoId(typeof raw === 'object' && raw !== null ? (raw as { id?: string }).id : (raw as string));

/** The stored form of a written record, or the row's error. */
function parseRecord(account: SandboxAccount, type: ObjectType, input: Record<string, unknown>, index: number): Parsed | ({ ok: false } & RowError) {
  const props: Props = {};
  const links: Parsed['links'] = [];
  for (const [name, raw] of Object.entries(input)) {
    if (name === 'id' || name.startsWith('$')) continue;
    const field = fieldOf(type, name);
    if (!field) return { ...invalid(name, index), details: { api_name: name, json_path: `$.data[${index}].${name}`, reason: `not a field of ${MODULES[type].apiName}` } };
    if (field.system) continue;
    if (raw === null || raw === '') {
      if (field.type === 'lookup') links.push({ to: field.lookup!, slot: -1 });
      else props[name] = '';
      continue;
    }
    switch (field.type) {
      case 'ownerlookup': {
        const user = account.users.find((u) => u.id === idOf(raw));
        if (!user) return invalid(name, index);
        props[name] = String(user.id);
        break;
      }
      case 'lookup': {
        const slot = account.data.collections.get(field.lookup!)!.slotOf(idOf(raw));
        if (slot < 0) return invalid(name, index, 'the id given seems to be invalid');
        links.push({ to: field.lookup!, slot });
        break;
      }
      case 'integer':
      case 'currency': {
        const n = Number(raw);
        if (!Number.isFinite(n) || (field.type === 'integer' && !Number.isInteger(n))) return invalid(name, index);
        props[name] = String(n);
        break;
      }
      case 'date': {
        const at = Date.parse(String(raw));
        if (Number.isNaN(at)) return invalid(name, index);
        props[name] = new Date(at).toISOString().slice(0, 10);
        break;
      }
      case 'picklist':
        // Zoho accepts values outside a picklist through the API (they are added as unmapped values).
        props[name] = String(raw);
        break;
      default:
        if (typeof raw === 'object') return invalid(name, index);
        props[name] = String(raw);
    }
  }
  return { props, links };
}

const now = (ctx: ZohoContext) => toSecond(ctx.store.clock.now());

function applyLinks(account: SandboxAccount, type: ObjectType, slot: number, links: Parsed['links']): boolean {
  let changed = false;
  for (const link of links) {
    const store = account.data.associations;
    const current = store.get(type, slot, link.to);
    if (current.length === 1 && current[0] === link.slot) continue;
    for (const old of [...current]) store.remove(type, slot, link.to, old);
    if (link.slot >= 0) store.add(type, slot, link.to, link.slot);
    changed = true;
  }
  return changed;
}

export function createRecord(ctx: ZohoContext, account: SandboxAccount, type: ObjectType, input: Record<string, unknown>, index = 0): WriteResult {
  const parsed = parseRecord(account, type, input, index);
  if ('ok' in parsed) return parsed;
  const missing = MODULES[type].fields.find((f) => f.mandatory && !parsed.props[f.api_name]);
  if (missing) return { ok: false, code: 'MANDATORY_NOT_FOUND', message: 'required field not found', details: { api_name: missing.api_name, json_path: `$.data[${index}].${missing.api_name}` } };
  if (!parsed.props.Owner) parsed.props.Owner = String(account.users[0]!.id);
  const coll = account.data.collections.get(type)!;
  const slot = coll.create(parsed.props, now(ctx));
  rememberWrite(ctx, account, type, slot, true);
  applyLinks(account, type, slot, parsed.links);
  notifyChange(ctx, account, type, [toZohoId(coll.ids[slot]!)], 'insert');
  return { ok: true, slot };
}

export function updateRecord(ctx: ZohoContext, account: SandboxAccount, type: ObjectType, slot: number, input: Record<string, unknown>, index = 0): WriteResult {
  const parsed = parseRecord(account, type, input, index);
  if ('ok' in parsed) return parsed;
  rememberWrite(ctx, account, type, slot);
  const coll = account.data.collections.get(type)!;
  const changed = coll.update(slot, parsed.props, now(ctx));
  if (applyLinks(account, type, slot, parsed.links) && changed.length === 0) coll.touch(slot, now(ctx));
  notifyChange(ctx, account, type, [toZohoId(coll.ids[slot]!)], 'update');
  return { ok: true, slot };
}

/** To the recycle bin (what a delete through the API or the UI does); logged for `/{module}/deleted`. */
export function archiveRecord(ctx: ZohoContext, account: SandboxAccount, type: ObjectType, slot: number, permanent = false): void {
  const coll = account.data.collections.get(type)!;
  if (!coll.isLive(slot) && !(permanent && coll.isArchived(slot))) return;
  rememberWrite(ctx, account, type, slot);
  const entry = {
    id: String(coll.ids[slot]), displayName: coll.prop(slot, MODULES[type].nameField) ?? '', type: permanent ? 'permanent' as const : 'recycle' as const,
    deletedBy: account.users[0]!.id, createdBy: account.users[0]!.id, deletedTime: now(ctx),
  };
  const log = ctx.deletions.get(deletionKey(account.id, type)) ?? [];
  ctx.deletions.set(deletionKey(account.id, type), [...log.filter((e) => e.id !== entry.id), entry]);
  if (permanent) coll.hardDelete(slot);
  else coll.archive(slot, now(ctx));
  notifyChange(ctx, account, type, [toZohoId(Number(entry.id))], 'delete');
}

export function restoreRecord(ctx: ZohoContext, account: SandboxAccount, type: ObjectType, slot: number): void {
  const coll = account.data.collections.get(type)!;
  if (!coll.isArchived(slot)) return;
  rememberWrite(ctx, account, type, slot);
  coll.restore(slot, now(ctx));
  const key = deletionKey(account.id, type);
  ctx.deletions.set(key, (ctx.deletions.get(key) ?? []).filter((e) => e.id !== String(coll.ids[slot])));
}

/**
 * Links two records the way Zoho can: through the lookup one of them holds (a deal's Account_Name
 * and Contact_Name, a contact's Account_Name). A lookup holds one record, so linking replaces.
 * Returns whether anything changed; undefined when neither side has a lookup to the other.
 */
export function setLookup(ctx: ZohoContext, account: SandboxAccount, a: ObjectType, aSlot: number, b: ObjectType, bSlot: number, remove: boolean): boolean | undefined {
  const holderIsA = lookupsOf(a).some((f) => f.lookup === b);
  const holderIsB = !holderIsA && lookupsOf(b).some((f) => f.lookup === a);
  if (!holderIsA && !holderIsB) return undefined;
  const [holder, holderSlot, target, targetSlot] = holderIsA ? [a, aSlot, b, bSlot] as const : [b, bSlot, a, aSlot] as const;
  const current = account.data.associations.get(holder, holderSlot, target);
  if (remove && !current.includes(targetSlot)) return false;
  if (!remove && current.length === 1 && current[0] === targetSlot) return false;
  rememberWrite(ctx, account, holder, holderSlot);
  applyLinks(account, holder, holderSlot, [{ to: target, slot: remove ? -1 : targetSlot }]);
  const holders = account.data.collections.get(holder)!;
  holders.touch(holderSlot, now(ctx));
  notifyChange(ctx, account, holder, [toZohoId(holders.ids[holderSlot]!)], 'update');
  return true;
}
