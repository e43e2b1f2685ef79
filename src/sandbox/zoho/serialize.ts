/**
 * A stored record as Zoho's API shows it: `id` and lookups as 19-digit strings, lookups as
 * `{name, id}` (the owner with its email), numbers as numbers, datetimes to the second with an
 * offset, dates `YYYY-MM-DD`, empty values as null. Keys of a lookup come in the order PostgreSQL's
 * jsonb keeps them (shorter first: id, name, email): JSON gives key order no meaning, and a record
 * stored and read back then compares equal as text.
 */
import type { SandboxAccount } from '../core/store.js';
import { toZohoId, zohoTime } from './ids.js';
import { MODULES, type FieldSpec, type ObjectType } from './modules.js';

export type ZohoRecord = Record<string, unknown> & { id: string };

function userLookup(account: SandboxAccount, stored: string | undefined) {
  const user = account.users.find((u) => String(u.id) === stored);
  return user ? { id: toZohoId(user.id), name: `${user.firstName} ${user.lastName}`, email: user.email } : null;
}

function lookup(account: SandboxAccount, type: ObjectType, slot: number, field: FieldSpec) {
  const target = field.lookup!;
  const linked = account.data.associations.get(type, slot, target)[0];
  const coll = account.data.collections.get(target)!;
  if (linked === undefined || !coll.isLive(linked)) return null;
  return { id: toZohoId(coll.ids[linked]!), name: coll.prop(linked, MODULES[target].nameField) ?? '' };
}

function value(account: SandboxAccount, type: ObjectType, slot: number, field: FieldSpec): unknown {
  const coll = account.data.collections.get(type)!;
  switch (field.type) {
    case 'ownerlookup': return userLookup(account, coll.prop(slot, field.api_name));
    case 'lookup': return lookup(account, type, slot, field);
    case 'datetime': return zohoTime(field.api_name === 'Created_Time' ? coll.created[slot]! : coll.updated[slot]!);
    case 'integer':
    case 'currency': {
      const raw = coll.prop(slot, field.api_name);
      return raw === undefined || raw === '' ? null : Number(raw);
    }
    default: {
      const raw = coll.prop(slot, field.api_name);
      return raw === undefined || raw === '' ? null : raw;
    }
  }
}

/** Every field of the record, plus Created_By / Modified_By (the org's first user made every change). */
export function fullRecord(account: SandboxAccount, type: ObjectType, slot: number): ZohoRecord {
  const coll = account.data.collections.get(type)!;
  const record: ZohoRecord = { id: toZohoId(coll.ids[slot]!) };
  for (const field of MODULES[type].fields) record[field.api_name] = value(account, type, slot, field);
  const by = userLookup(account, String(account.users[0]?.id));
  record.Created_By = by;
  record.Modified_By = by;
  return record;
}

/** The fields a listing asked for (`id` always comes). */
export function pickFields(record: ZohoRecord, fields: string[]): ZohoRecord {
  const out: ZohoRecord = { id: record.id };
  for (const name of fields) if (name !== 'id') out[name] = record[name] ?? null;
  return out;
}
