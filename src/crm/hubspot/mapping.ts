import type { z } from 'zod';
import type { Associations, CanonicalRecord } from '../connector.js';
import { readFields, readInstant } from '../field-codec.js';
import type { ObjectType } from '../platforms.js';
import type { hubspotRecord } from './responses.js';
import { hubspotFields, hubspotObjects } from './spec.js';

/**
 * HubSpot records ↔ our unified model. Pure functions over the field table (spec.ts): every value HubSpot sends is a
 * string (or null), so numbers and dates are parsed here, once; writes use the same table backwards.
 */
/** A record as HubSpot sends it (checked on arrival: responses.ts). */
export type HubspotRecord = z.infer<typeof hubspotRecord>;


/** HubSpot names association keys by object ("companies"); ids repeat across association labels. */
export function mapAssociations(object: ObjectType, raw: HubspotRecord['associations']): Associations {
  const result: Associations = {};
  for (const other of hubspotObjects[object].associations) {
    const ids = new Set((raw?.[other]?.results ?? []).map((link) => String(link.id)));
    result[other] = [...ids].sort(compareIds);
  }
  return result;
}

export function mapRecord<O extends ObjectType>(object: O, record: HubspotRecord, withAssociations: boolean): CanonicalRecord<O> {
  const spec = hubspotObjects[object];
  return {
    remoteId: String(record.id),
    fields: readFields(hubspotFields[object], record.properties),
    properties: record.properties,
    associations: withAssociations ? mapAssociations(object, record.associations) : undefined,
    remoteCreatedAt: readInstant(record.createdAt ?? record.properties.createdate),
    remoteUpdatedAt: readInstant(record.updatedAt ?? record.properties[spec.modifiedProperty]),
  };
}

/** HubSpot ids are decimal strings of varying length: order them as numbers. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
