import type { z } from 'zod';
import type { Associations, CanonicalRecord } from '../connector.js';
import { readFields, readInstant } from '../field-codec.js';
import type { ObjectType } from '../platforms.js';
import type { zohoRecord } from './responses.js';
import { zohoFields, zohoModules } from './spec.js';

/** A record as Zoho sends it (checked on arrival: responses.ts). */
export type ZohoRecord = z.infer<typeof zohoRecord>;

const lookupIdOf = (raw: unknown): string | null => {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : null;
  return id === undefined || id === null ? null : String(id);
};

/** A module's lookups (a deal's Account_Name and Contact_Name…) as our associations: one id or none each. */
export function mapAssociations(object: ObjectType, record: Record<string, unknown>): Associations {
  const result: Associations = {};
  for (const [other, field] of Object.entries(zohoModules[object].lookups) as [ObjectType, string][]) {
    const id = lookupIdOf(record[field]);
    result[other] = id ? [id] : [];
  }
  return result;
}

/**
 * Zoho records → our model. `properties` keeps what Zoho sent except the id and the lookups: a
 * lookup's `name` follows the linked record without this record's Modified_Time moving, so a stored
 * copy would go stale; the link itself is kept as an association.
 */
export function mapRecord<O extends ObjectType>(object: O, record: ZohoRecord): CanonicalRecord<O> {
  const lookups = new Set(Object.values(zohoModules[object].lookups));
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (key !== 'id' && !lookups.has(key)) properties[key] = value;
  return {
    remoteId: record.id,
    fields: readFields(zohoFields[object], record),
    properties,
    associations: mapAssociations(object, record),
    remoteCreatedAt: readInstant(record.Created_Time),
    remoteUpdatedAt: readInstant(record.Modified_Time),
  };
}
