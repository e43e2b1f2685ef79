/**
 * Records in Pipedrive's v2 shape, made from the emulator's flat columns, and v2 request bodies
 * back into them. Times are RFC 3339 to the second (`2024-05-02T08:30:00Z`), ids and amounts are
 * numbers, custom fields sit under `custom_fields` by their hash key, emails and phones are lists.
 * https://developers.pipedrive.com/docs/api/v1/Persons#getPersons (v2 tab)
 */
import type { Collection, Props } from '../core/collection.js';
import type { SandboxAccount } from '../core/store.js';
import { CUSTOM_FIELDS, isCustomKey, OBJECTS, OBJECT_TYPES, type ObjectType } from './objects.js';

/** Pipedrive keeps whole seconds. */
export const toSeconds = (ms: number) => ms - (((ms % 1000) + 1000) % 1000);
export const rfc3339 = (ms: number) => new Date(toSeconds(ms)).toISOString().replace('.000Z', 'Z');

const num = (value: string | undefined) => (value === undefined || value === '' ? null : Number(value));

/**
 * Nested objects with their keys in one fixed order (shorter first, then by code unit, which is how
 * PostgreSQL's jsonb keeps them): a client that stores and returns them compares equal to a fresh read.
 */
function ordered<T>(value: T): T {
  if (Array.isArray(value)) return value.map(ordered) as T;
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((k) => [k, ordered((value as Record<string, unknown>)[k])])) as T;
}

const contactList = (value: string | undefined) => (value ? [ordered({ label: 'work', value, primary: true })] : []);

function customFields(type: ObjectType, props: Props): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of CUSTOM_FIELDS[type]) {
    const raw = props[field.key];
    out[field.key] = raw === undefined || raw === '' ? null : field.fieldType === 'enum' || field.fieldType === 'double' ? Number(raw) : raw;
  }
  return ordered(out);
}

/** Linked record id by our object name, or null (each link is single-valued in Pipedrive). */
export function linkedId(account: SandboxAccount, type: ObjectType, slot: number, other: ObjectType): number | null {
  const target = account.data.associations.get(type, slot, other)[0];
  return target === undefined ? null : account.data.collections.get(other)!.ids[target]!;
}

/** The record as the v2 API returns it. */
export function serialize(account: SandboxAccount, type: ObjectType, slot: number): Record<string, unknown> {
  const coll = account.data.collections.get(type)!;
  const p = coll.props(slot);
  const common = { id: coll.ids[slot]!, owner_id: num(p.owner_id), add_time: rfc3339(coll.created[slot]!), update_time: rfc3339(coll.updated[slot]!), is_deleted: coll.isArchived(slot), visible_to: 3 };
  const links = Object.fromEntries(Object.entries(OBJECTS[type].links).map(([other, property]) => [property, linkedId(account, type, slot, other as ObjectType)]));
  if (type === 'contacts') {
    return {
      ...common, name: p.name ?? '', first_name: p.first_name || null, last_name: p.last_name || null, job_title: p.job_title || null, ...links,
      emails: contactList(p.email), phones: contactList(p.phone), label_ids: [], picture_id: null, custom_fields: customFields(type, p),
    };
  }
  if (type === 'companies') {
    const address = p.address_locality || p.address_country ? ordered({ value: [p.address_locality, p.address_country].filter(Boolean).join(', '), locality: p.address_locality ?? null, country: p.address_country ?? null }) : null;
    return { ...common, name: p.name ?? '', address, website: p.website || null, industry: num(p.industry), label_ids: [], custom_fields: customFields(type, p) };
  }
  return {
    ...common, title: p.title ?? '', ...links, pipeline_id: num(p.pipeline_id), stage_id: num(p.stage_id), value: num(p.value) ?? 0, currency: p.currency ?? 'USD',
    status: p.status ?? 'open', is_archived: p.is_archived === 'true', probability: null, expected_close_date: p.expected_close_date || null,
    lost_reason: null, close_time: null, label_ids: [], custom_fields: customFields(type, p),
  };
}

/** Fields a v2 write may set, per object (anything else answers 400, as Pipedrive does for unknown fields). */
const WRITABLE: Record<ObjectType, string[]> = {
  contacts: ['name', 'first_name', 'last_name', 'job_title', 'owner_id', 'org_id', 'emails', 'phones', 'visible_to', 'label_ids', 'custom_fields', 'add_time'],
  companies: ['name', 'owner_id', 'address', 'website', 'industry', 'visible_to', 'label_ids', 'custom_fields', 'add_time'],
  deals: ['title', 'owner_id', 'person_id', 'org_id', 'pipeline_id', 'stage_id', 'value', 'currency', 'status', 'expected_close_date', 'probability', 'is_archived', 'visible_to', 'label_ids', 'custom_fields', 'lost_reason', 'add_time'],
};

export interface ParsedWrite {
  props: Props;
  /** Links set by the body: our object name → record id, or null to unlink. */
  links: Partial<Record<ObjectType, number | null>>;
}

const primaryValue = (value: unknown): string | undefined => {
  if (!Array.isArray(value)) return undefined;
  const first = (value.find((v) => v && typeof v === 'object' && (v as { primary?: boolean }).primary) ?? value[0]) as { value?: unknown } | undefined;
  return first?.value === undefined || first.value === null ? '' : String(first.value);
};

/** A v2 body → flat properties and links, or the error message Pipedrive would answer with. */
export function parseWrite(type: ObjectType, body: Record<string, unknown>): ParsedWrite | string {
  const props: Props = {};
  const links: ParsedWrite['links'] = {};
  for (const [key, value] of Object.entries(body)) {
    if (!WRITABLE[type].includes(key)) return `Unknown field: ${key}`;
    const link = OBJECT_TYPES.find((other) => OBJECTS[type].links[other] === key);
    if (link) {
      if (value !== null && !Number.isInteger(value)) return `${key} must be an integer`;
      links[link] = value as number | null;
    } else if (key === 'emails' || key === 'phones') {
      if (!Array.isArray(value)) return `${key} must be an array`;
      props[key === 'emails' ? 'email' : 'phone'] = primaryValue(value) ?? '';
    } else if (key === 'custom_fields') {
      if (!value || typeof value !== 'object') return 'custom_fields must be an object';
      for (const [hash, v] of Object.entries(value)) {
        if (!isCustomKey(hash) || !CUSTOM_FIELDS[type].some((f) => f.key === hash)) return `Unknown custom field: ${hash}`;
        props[hash] = v === null || v === undefined ? '' : String(v);
      }
    } else if (key === 'address') {
      const a = (value ?? {}) as { locality?: unknown; country?: unknown; value?: unknown };
      props.address_locality = a.locality === undefined || a.locality === null ? String(a.value ?? '') : String(a.locality);
      props.address_country = a.country === undefined || a.country === null ? '' : String(a.country);
    } else if (key === 'value' || key === 'owner_id' || key === 'pipeline_id' || key === 'stage_id' || key === 'industry') {
      if (value !== null && typeof value !== 'number') return `${key} must be a number`;
      props[key] = value === null ? '' : String(value);
    } else if (key === 'is_archived') {
      props.is_archived = value === true ? 'true' : '';
    } else if (key === 'label_ids' || key === 'visible_to' || key === 'add_time' || key === 'probability' || key === 'lost_reason') {
      continue;
    } else {
      if (value !== null && typeof value !== 'string') return `${key} must be a string`;
      props[key] = value ?? '';
    }
  }
  if (type === 'contacts' && (props.first_name !== undefined || props.last_name !== undefined) && props.name === undefined) props.name = '';
  return { props, links };
}

/** Keeps a person's `name` the join of first and last name when only those were written. */
export function completeName(current: Props, props: Props): void {
  if (props.name !== '') return;
  const first = props.first_name ?? current.first_name ?? '';
  const last = props.last_name ?? current.last_name ?? '';
  props.name = [first, last].filter(Boolean).join(' ');
}

export function collectionOf(account: SandboxAccount, type: ObjectType): Collection {
  return account.data.collections.get(type)!;
}
