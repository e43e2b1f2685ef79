/**
 * Records as Salesforce's REST API renders them (typed JSON values, `attributes`, `+0000` datetimes),
 * the writes every route shares (REST, collections, admin), contact roles, and the commit lag: SOQL
 * sees a write only `commitLagMs` after its SystemModstamp, the way a long transaction's rows appear
 * with a SystemModstamp older than queries already run (see README).
 */
import type { Collection, Props } from '../core/collection.js';
import type { SandboxAccount } from '../core/store.js';
import { extrasOf, type ContactRole, type SalesforceContext } from './context.js';
import { ALL_SLOTS, slotsOf, type Candidates } from './candidates.js';
import { remember } from './commit-lag.js';
import { notifyOutbound } from './outbound-messages.js';
import { CONTACT_ROLE, fieldOf, OBJECT_TYPES, ORGANIZATION, SOBJECTS, sfId, type ObjectType } from './objects.js';

export const API_VERSION = '60.0';
/** Salesforce's datetime rendering: `2024-05-02T08:30:00.000+0000`. */
export const sfDate = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

function typed(type: string, raw: string | undefined): unknown {
  if (raw === undefined || raw === '') return type === 'boolean' ? false : null;
  if (type === 'int' || type === 'double' || type === 'currency') return Number(raw);
  if (type === 'boolean') return raw === 'true';
  return raw;
}

/** The account a record points at (AccountId), as a slot of companies, or -1. */
const accountSlot = (a: SandboxAccount, type: ObjectType, slot: number) => (type === 'companies' ? -1 : a.data.associations.get(type, slot, 'companies')[0] ?? -1);

/** Every field of a record as the REST API returns it (the row SOQL selects from). */
export function recordRow(a: SandboxAccount, type: ObjectType, slot: number): Record<string, unknown> {
  const spec = SOBJECTS[type];
  const coll = a.data.collections.get(type)!;
  const props = coll.props(slot);
  const id = sfId(spec.keyPrefix, coll.ids[slot]!);
  const row: Record<string, unknown> = { attributes: { type: spec.type, url: `/services/data/v${API_VERSION}/sobjects/${spec.type}/${id}` } };
  for (const field of spec.fields) {
    switch (field.name) {
      case 'Id': row.Id = id; break;
      case 'IsDeleted': row.IsDeleted = coll.isArchived(slot); break;
      case 'CreatedDate': row.CreatedDate = sfDate(coll.created[slot]!); break;
      case 'LastModifiedDate': case 'SystemModstamp': row[field.name] = sfDate(coll.updated[slot]!); break;
      case 'AccountId': {
        const s = accountSlot(a, type, slot);
        row.AccountId = s >= 0 ? sfId(SOBJECTS.companies.keyPrefix, a.data.collections.get('companies')!.ids[s]!) : null;
        break;
      }
      default: row[field.name] = typed(field.type, props[field.name]);
    }
  }
  return row;
}

/** A relationship field's parent (`Account.Name`): the parent's row, or null. */
export function parentRow(a: SandboxAccount, type: ObjectType, slot: number, relationship: string): Record<string, unknown> | null {
  if (relationship.toLowerCase() !== 'account' || type === 'companies') return null;
  const s = accountSlot(a, type, slot);
  return s >= 0 ? recordRow(a, 'companies', s) : null;
}

export type WriteResult = { ok: true; slot: number } | { ok: false; status: number; errorCode: string; message: string; fields?: string[] };

/** Checks field names and values of a create or update against the describe data. */
function invalid(type: ObjectType, fields: Record<string, unknown>, creating: boolean): WriteResult | null {
  const spec = SOBJECTS[type];
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'attributes' || name === 'Id') continue;
    const field = fieldOf(spec, name);
    if (!field) return { ok: false, status: 400, errorCode: 'INVALID_FIELD', message: `No such column '${name}' on sobject of type ${spec.type}` };
    if (field.system) return { ok: false, status: 400, errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', message: `Unable to create/update fields: ${name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, fields: [name] };
    // Standard picklists accept any value through the API; the custom ones here are restricted.
    if (field.type === 'picklist' && value && field.name.endsWith('__c') && !field.picklist!.includes(String(value))) {
      return { ok: false, status: 400, errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: `${field.label}: bad value for restricted picklist field: ${String(value)}`, fields: [field.name] };
    }
  }
  if (creating) {
    const missing = spec.fields.filter((f) => f.required && (fields[f.name] === undefined || fields[f.name] === null || fields[f.name] === '')).map((f) => f.name);
    if (missing.length) return { ok: false, status: 400, errorCode: 'REQUIRED_FIELD_MISSING', message: `Required fields are missing: [${missing.join(', ')}]`, fields: missing };
  }
  return null;
}

/** Field values as the collection stores them (strings; '' for null), AccountId kept apart. */
function split(type: ObjectType, fields: Record<string, unknown>): { props: Props; accountId?: string | null } {
  const props: Props = {};
  let accountId: string | null | undefined;
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'attributes' || name === 'Id') continue;
    const field = fieldOf(SOBJECTS[type], name)!;
    if (field.name === 'AccountId') accountId = value === null || value === '' ? null : String(value);
    else props[field.name] = value === null || value === undefined ? '' : String(value);
  }
  return { props, accountId };
}

function linkAccount(a: SandboxAccount, type: ObjectType, slot: number, accountId: string | null | undefined): WriteResult | null {
  if (accountId === undefined || type === 'companies') return null;
  const companies = a.data.collections.get('companies')!;
  const target = accountId === null ? -1 : companies.slotOf(Number(accountId.slice(3, 15)));
  if (accountId !== null && (target < 0 || !companies.isLive(target) || !accountId.startsWith(SOBJECTS.companies.keyPrefix))) {
    return { ok: false, status: 400, errorCode: 'FIELD_INTEGRITY_EXCEPTION', message: `Account ID: id value of incorrect type: ${accountId}`, fields: ['AccountId'] };
  }
  for (const s of [...a.data.associations.get(type, slot, 'companies')]) a.data.associations.remove(type, slot, 'companies', s);
  if (target >= 0) a.data.associations.add(type, slot, 'companies', target);
  return null;
}

export function createRecord(ctx: SalesforceContext, a: SandboxAccount, type: ObjectType, fields: Record<string, unknown>): WriteResult {
  const bad = invalid(type, fields, true);
  if (bad) return bad;
  const { props, accountId } = split(type, fields);
  const coll = a.data.collections.get(type)!;
  const slot = coll.create(props, ctx.store.clock.now());
  const linked = linkAccount(a, type, slot, accountId);
  if (linked) {
    coll.hardDelete(slot);
    return linked;
  }
  remember(ctx, a, type, slot, null);
  notifyOutbound(ctx, a, type, slot);
  return { ok: true, slot };
}

export function updateRecord(ctx: SalesforceContext, a: SandboxAccount, type: ObjectType, slot: number, fields: Record<string, unknown>): WriteResult {
  const bad = invalid(type, fields, false);
  if (bad) return bad;
  const coll = a.data.collections.get(type)!;
  const before = recordRow(a, type, slot);
  const { props, accountId } = split(type, fields);
  const linked = linkAccount(a, type, slot, accountId);
  if (linked) return linked;
  remember(ctx, a, type, slot, before);
  coll.update(slot, props, ctx.store.clock.now());
  // A save moves LastModifiedDate and SystemModstamp even when no value changed.
  coll.touch(slot, ctx.store.clock.now());
  notifyOutbound(ctx, a, type, slot);
  return { ok: true, slot };
}

/** Deleting moves the record to the recycle bin (IsDeleted = true, visible to queryAll). */
export function deleteRecord(ctx: SalesforceContext, a: SandboxAccount, type: ObjectType, slot: number): void {
  const coll = a.data.collections.get(type)!;
  if (!coll.isLive(slot)) return;
  remember(ctx, a, type, slot, recordRow(a, type, slot));
  coll.archive(slot, ctx.store.clock.now());
}

export function undeleteRecord(ctx: SalesforceContext, a: SandboxAccount, type: ObjectType, slot: number): void {
  const coll = a.data.collections.get(type)!;
  if (!coll.isArchived(slot)) return;
  remember(ctx, a, type, slot, recordRow(a, type, slot));
  coll.restore(slot, ctx.store.clock.now());
}

/** Links an admin PUT/DELETE makes: AccountId on contacts and opportunities, contact roles between them. */
export function setLink(ctx: SalesforceContext, a: SandboxAccount, from: ObjectType, fromSlot: number, to: ObjectType, toSlot: number, remove: boolean): boolean {
  const pair = [from, to].sort().join('>');
  if (pair === 'contacts>deals') {
    const [deal, contact] = from === 'deals' ? [fromSlot, toSlot] : [toSlot, fromSlot];
    return setRole(ctx, a, deal, contact, remove);
  }
  const [child, childSlot, parentSlot] = from === 'companies' ? [to, toSlot, fromSlot] : [from, fromSlot, toSlot];
  const companies = a.data.collections.get('companies')!;
  const current = a.data.associations.get(child, childSlot, 'companies')[0];
  if (remove ? current !== parentSlot : current === parentSlot) return false;
  const fields = { AccountId: remove ? null : sfId(SOBJECTS.companies.keyPrefix, companies.ids[parentSlot]!) };
  return updateRecord(ctx, a, child, childSlot, fields).ok;
}

const roleKey = (deal: number, contact: number) => `${deal}:${contact}`;

/**
 * The contact roles of the opportunities in `deals` (slots; all by default). Seeded roles are
 * derived (id from the opportunity's slot, stamped at its creation); later ones are kept.
 */
export function rolesOf(ctx: SalesforceContext, a: SandboxAccount, dealSlots: Candidates = ALL_SLOTS): ContactRole[] {
  const extras = extrasOf(ctx, a.data);
  const deals = a.data.collections.get('deals')!;
  const out: ContactRole[] = [];
  const included = new Set<number>();
  for (const s of slotsOf(dealSlots, deals.size)) {
    included.add(s);
    if (!deals.isLive(s) && !deals.isArchived(s)) continue;
    for (const c of a.data.associations.get('deals', s, 'contacts')) {
      const kept = extras.roles.get(roleKey(s, c));
      const role = kept ?? { id: 80_000_001 + s, deal: s, contact: c, created: deals.created[s]!, modstamp: deals.created[s]!, deleted: false };
      // A deleted opportunity takes its contact roles to the recycle bin with it.
      out.push(deals.isLive(s) ? role : { ...role, deleted: true, modstamp: Math.max(role.modstamp, deals.archivedAt[s]!) });
    }
  }
  for (const role of extras.roles.values()) if (role.deleted && included.has(role.deal)) out.push(role);
  return out;
}

function setRole(ctx: SalesforceContext, a: SandboxAccount, deal: number, contact: number, remove: boolean): boolean {
  const extras = extrasOf(ctx, a.data);
  const now = ctx.store.clock.now();
  const key = roleKey(deal, contact);
  if (remove) {
    if (!a.data.associations.remove('deals', deal, 'contacts', contact)) return false;
    const role = extras.roles.get(key) ?? { id: 80_000_001 + deal, deal, contact, created: a.data.collections.get('deals')!.created[deal]!, modstamp: now, deleted: false };
    extras.roles.set(key, { ...role, modstamp: now, deleted: true });
    return true;
  }
  if (!a.data.associations.add('deals', deal, 'contacts', contact)) return false;
  extras.roles.set(key, { id: extras.nextRoleId++, deal, contact, created: now, modstamp: now, deleted: false });
  return true;
}

/** An OpportunityContactRole row as the REST API returns it. */
export function roleRow(a: SandboxAccount, role: ContactRole): Record<string, unknown> {
  const id = sfId(CONTACT_ROLE.keyPrefix, role.id);
  return {
    attributes: { type: CONTACT_ROLE.type, url: `/services/data/v${API_VERSION}/sobjects/${CONTACT_ROLE.type}/${id}` },
    Id: id, IsDeleted: role.deleted, CreatedDate: sfDate(role.created), LastModifiedDate: sfDate(role.modstamp), SystemModstamp: sfDate(role.modstamp),
    OpportunityId: sfId(SOBJECTS.deals.keyPrefix, a.data.collections.get('deals')!.ids[role.deal]!),
    ContactId: sfId(SOBJECTS.contacts.keyPrefix, a.data.collections.get('contacts')!.ids[role.contact]!),
    Role: 'Decision Maker', IsPrimary: false,
  };
}

/** The org's own row (its edition from its limits tier). */
export function organizationRow(a: SandboxAccount): Record<string, unknown> {
  const id = sfId(ORGANIZATION.keyPrefix, a.id);
  const edition = `${a.limits.tier.charAt(0).toUpperCase()}${a.limits.tier.slice(1)} Edition`;
  return {
    attributes: { type: ORGANIZATION.type, url: `/services/data/v${API_VERSION}/sobjects/${ORGANIZATION.type}/${id}` },
    Id: id, IsDeleted: false, CreatedDate: sfDate(a.createdAt), LastModifiedDate: sfDate(a.createdAt), SystemModstamp: sfDate(a.createdAt),
    Name: a.name, OrganizationType: edition, IsSandbox: false, InstanceName: 'EMU1',
  };
}

export const collectionOf = (a: SandboxAccount, type: ObjectType): Collection => a.data.collections.get(type)!;
export { OBJECT_TYPES };
