/**
 * Record → HubSpot JSON (`SimplePublicObject`): string property values (null when a requested property
 * is empty), ISO timestamps, the system properties always present, keys in alphabetical order, and
 * inline associations grouped by the plural object name.
 */
import type { Collection, Props } from '../core/collection.js';
import type { Dataset } from '../core/store.js';
import { linksOf } from './links.js';
import { ASSOCIATION_TYPES, OBJECTS, type ObjectType } from './objects.js';

export interface SerializeOptions {
  /** Serialize this earlier version instead of the record as it is now (search under a lag). */
  version?: { props: Props; created: number; updated: number; archived: boolean; archivedAt: number };
  properties?: string[];
  associations?: ObjectType[];
  propertiesWithHistory?: string[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Every property of a record, system ones included, as stored strings. */
export function fullProps(type: ObjectType, coll: Collection, slot: number): Props {
  const props = coll.props(slot);
  props.createdate = iso(coll.created[slot]!);
  props[OBJECTS[type].modifiedProperty] = iso(coll.updated[slot]!);
  props.hs_object_id = String(coll.ids[slot]);
  return props;
}

export function selectedNames(type: ObjectType, requested?: string[]): string[] {
  const base = requested && requested.length > 0 ? requested : OBJECTS[type].defaultProperties;
  return [...new Set([...base, 'createdate', OBJECTS[type].modifiedProperty, 'hs_object_id'])].sort();
}

export function serializeRecord(type: ObjectType, data: Dataset, slot: number, opts: SerializeOptions = {}) {
  const coll = data.collections.get(type)!;
  const v = opts.version;
  const all = v ? { ...v.props, createdate: iso(v.created), [OBJECTS[type].modifiedProperty]: iso(v.updated), hs_object_id: String(coll.ids[slot]) } : fullProps(type, coll, slot);
  const properties: Record<string, string | null> = {};
  for (const name of selectedNames(type, opts.properties)) {
    const v = all[name];
    properties[name] = v === undefined || v === '' ? null : v;
  }
  const updatedAt = iso(v?.updated ?? coll.updated[slot]!);
  const archived = v ? v.archived : coll.isArchived(slot);
  const out: Record<string, unknown> = {
    id: String(coll.ids[slot]),
    properties,
    createdAt: iso(v?.created ?? coll.created[slot]!),
    updatedAt,
    archived,
  };
  if (archived) out.archivedAt = iso(v?.archivedAt ?? coll.archivedAt[slot]!);
  if (opts.propertiesWithHistory?.length) {
    const history: Record<string, unknown[]> = {};
    for (const name of opts.propertiesWithHistory) {
      const v = all[name];
      if (v !== undefined && v !== '') history[name] = [{ value: v, timestamp: updatedAt, sourceType: 'CRM_UI' }];
    }
    out.propertiesWithHistory = history;
  }
  if (opts.associations?.length) {
    const assoc: Record<string, unknown> = {};
    for (const to of opts.associations) {
      const results = associationResults(type, data, slot, to);
      if (results.length > 0) assoc[to] = { results };
    }
    if (Object.keys(assoc).length > 0) out.associations = assoc;
  }
  return out;
}

/**
 * v3 inline association entries: a primary link is listed once with its primary label and once
 * unlabeled, from either side (a company lists `company_to_contact` for contacts whose primary company
 * it is, plus `company_to_contact_unlabeled` for each contact).
 */
function associationResults(type: ObjectType, data: Dataset, slot: number, to: ObjectType) {
  const spec = ASSOCIATION_TYPES[`${type}>${to}`];
  if (!spec) return [];
  const results: { id: string; type: string }[] = [];
  for (const link of linksOf(data, type, slot, to)) {
    const id = String(link.id);
    if (link.primary) results.push({ id, type: spec.name });
    results.push({ id, type: spec.primary !== undefined ? `${spec.name}_unlabeled` : spec.name });
  }
  return results;
}
