/**
 * Record writes shared by the single, batch and admin routes: validation against the property
 * definitions, contact email uniqueness, association specs, and the webhook events each change causes.
 * Association changes do not move lastmodifieddate, as on HubSpot.
 */
import type { Collection, Props } from '../core/collection.js';
import type { SandboxAccount } from '../core/store.js';
import type { HubspotContext } from './context.js';
import { propertyErrorMessage } from './errors.js';
import { ASSOCIATION_TYPES, OBJECTS, type ObjectType } from './objects.js';
import { propertyDef, validateWrite } from './properties.js';
import { rememberForSearch } from './search-lag.js';

export type WriteResult = { ok: true; slot: number } | { ok: false; status: number; category: string; message: string };

export interface AssociationSpec {
  to: { id: string | number };
  types: { associationCategory?: string; associationTypeId: number }[];
}

const fail = (status: number, category: string, message: string): WriteResult => ({ ok: false, status, category, message });

/** Property values as HubSpot stores them: strings, datetimes as ISO. */
export function normalizeProps(type: ObjectType, input: Record<string, unknown>): Props {
  const out: Props = {};
  for (const [name, raw] of Object.entries(input)) {
    let value = raw === null || raw === undefined ? '' : String(raw);
    if (value !== '' && propertyDef(type, name)?.type === 'datetime') {
      value = new Date(/^\d+$/.test(value) ? Number(value) : Date.parse(value)).toISOString();
    }
    out[name] = value;
  }
  return out;
}

function checkProps(type: ObjectType, props: unknown): WriteResult | undefined {
  if (!props || typeof props !== 'object' || Array.isArray(props)) return fail(400, 'VALIDATION_ERROR', 'Invalid input JSON: "properties" must be an object');
  const errors = validateWrite(type, props as Record<string, unknown>);
  return errors.length ? fail(400, 'VALIDATION_ERROR', propertyErrorMessage(errors)) : undefined;
}

/** Resolves association specs to (toType, toSlot) pairs, or a failure. */
function resolveAssociations(account: SandboxAccount, type: ObjectType, specs: AssociationSpec[]): { to: ObjectType; slot: number }[] | WriteResult {
  const out: { to: ObjectType; slot: number }[] = [];
  for (const spec of specs) {
    for (const t of spec.types ?? []) {
      const entry = Object.entries(ASSOCIATION_TYPES).find(([k, v]) => k.startsWith(`${type}>`) && (v.primary === t.associationTypeId || v.unlabeled === t.associationTypeId));
      if (!entry) return fail(400, 'VALIDATION_ERROR', `${t.associationTypeId} is not a valid association type id for ${OBJECTS[type].singular}`);
      const to = entry[0].split('>')[1] as ObjectType;
      const slot = account.data.collections.get(to)?.slotOf(Number(spec.to?.id)) ?? -1;
      if (slot < 0) return fail(400, 'VALIDATION_ERROR', `${OBJECTS[to].errorName} ${spec.to?.id} does not exist`);
      out.push({ to, slot });
    }
  }
  return out;
}

/**
 * Contact emails are unique: a 409 names the contact holding it. A new contact (`self` -1) may take
 * an archived contact's email; an update of another contact may not.
 */
function emailConflict(type: ObjectType, coll: Collection, props: Props, self: number): WriteResult | undefined {
  if (type !== 'contacts' || !props.email) return undefined;
  const existing = coll.findUnique('email', props.email);
  if (existing < 0 || existing === self || (self < 0 && !coll.isLive(existing))) return undefined;
  return fail(409, 'CONFLICT', `Contact already exists. Existing ID: ${coll.ids[existing]}`);
}

export function createRecord(ctx: HubspotContext, account: SandboxAccount, type: ObjectType, input: unknown, specs: AssociationSpec[] = [], source = 'API'): WriteResult {
  const invalid = checkProps(type, input);
  if (invalid) return invalid;
  const props = normalizeProps(type, input as Record<string, unknown>);
  const coll = account.data.collections.get(type)!;
  const conflict = emailConflict(type, coll, props, -1);
  if (conflict) return conflict;
  const links = resolveAssociations(account, type, specs);
  if (!Array.isArray(links)) return links;
  const slot = coll.create(props, ctx.store.clock.now());
  rememberForSearch(ctx, account, type, slot, true);
  for (const l of links) account.data.associations.add(type, slot, l.to, l.slot);
  const id = coll.ids[slot]!;
  ctx.emit(account.id, { kind: 'creation', type, id, source });
  if (Object.keys(props).length) ctx.emit(account.id, { kind: 'propertyChange', type, id, source, properties: props });
  return { ok: true, slot };
}

export function updateRecord(ctx: HubspotContext, account: SandboxAccount, type: ObjectType, slot: number, input: unknown, source = 'API'): WriteResult {
  const invalid = checkProps(type, input);
  if (invalid) return invalid;
  const props = normalizeProps(type, input as Record<string, unknown>);
  const coll = account.data.collections.get(type)!;
  const conflict = emailConflict(type, coll, props, slot);
  if (conflict) return conflict;
  rememberForSearch(ctx, account, type, slot);
  const changed = coll.update(slot, props, ctx.store.clock.now());
  if (changed.length) {
    const properties = Object.fromEntries(changed.map((k) => [k, props[k]!]));
    ctx.emit(account.id, { kind: 'propertyChange', type, id: coll.ids[slot]!, source, properties });
  }
  return { ok: true, slot };
}

export function archiveRecord(ctx: HubspotContext, account: SandboxAccount, type: ObjectType, slot: number, source = 'API'): void {
  const coll = account.data.collections.get(type)!;
  if (!coll.isLive(slot)) return;
  rememberForSearch(ctx, account, type, slot);
  coll.archive(slot, ctx.store.clock.now());
  ctx.emit(account.id, { kind: 'deletion', type, id: coll.ids[slot]!, source });
}

/** Links or unlinks two records (both directions); returns false when nothing changed. */
export function setAssociation(ctx: HubspotContext, account: SandboxAccount, from: ObjectType, fromSlot: number, to: ObjectType, toSlot: number, remove: boolean, source = 'API'): boolean {
  const store = account.data.associations;
  const changed = remove ? store.remove(from, fromSlot, to, toSlot) : store.add(from, fromSlot, to, toSlot);
  if (!changed) return false;
  const fromId = account.data.collections.get(from)!.ids[fromSlot]!;
  const toId = account.data.collections.get(to)!.ids[toSlot]!;
  ctx.emit(account.id, { kind: 'associationChange', type: from, id: fromId, source, toType: to, toId, removed: remove });
  ctx.emit(account.id, { kind: 'associationChange', type: to, id: toId, source, toType: from, toId: fromId, removed: remove });
  return true;
}
