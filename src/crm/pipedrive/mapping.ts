import type { Associations, CanonicalRecord } from '../connector.js';
import { readFields, readInstant, writeFields } from '../field-codec.js';
import type { FieldsOf } from '../connector.js';
import type { ObjectType } from '../platforms.js';
import { pipedriveFields, pipedriveObjects } from './spec.js';

/**
 * Pipedrive v2 records ↔ our unified model, through the field table (spec.ts). v2 nests a few
 * values (emails and phones as lists, the address as an object); `flatView` names them the way the
 * table does, both directions use it, and `properties` keeps the record exactly as Pipedrive sent it.
 */
export type PipedriveRecord = Record<string, unknown> & { id: number; add_time: string; update_time: string };

interface ListEntry { value?: unknown; primary?: boolean }

function primary(list: unknown): string | null {
  if (!Array.isArray(list) || list.length === 0) return null;
  const entry = ((list as ListEntry[]).find((e) => e?.primary) ?? list[0]) as ListEntry;
  return entry?.value === undefined || entry.value === null ? null : String(entry.value);
}

/** The record with its nested values under the field table's names. */
export function flatView(record: Record<string, unknown>): Record<string, unknown> {
  const address = (record.address ?? null) as { locality?: unknown; country?: unknown } | null;
  return { ...record, emails: primary(record.emails), phones: primary(record.phones), 'address.locality': address?.locality ?? null, 'address.country': address?.country ?? null };
}

export function mapAssociations(object: ObjectType, record: Record<string, unknown>): Associations {
  const result: Associations = {};
  for (const [other, property] of Object.entries(pipedriveObjects[object].links) as [ObjectType, string][]) {
    const linked = record[property];
    result[other] = typeof linked === 'number' ? [String(linked)] : [];
  }
  return result;
}

export function mapRecord<O extends ObjectType>(object: O, record: PipedriveRecord): CanonicalRecord<O> {
  return {
    remoteId: String(record.id),
    fields: readFields(pipedriveFields[object], flatView(record)),
    properties: record,
    // Links are fields of the record itself, so every page carries them.
    associations: mapAssociations(object, record),
    remoteCreatedAt: readInstant(record.add_time),
    remoteUpdatedAt: readInstant(record.update_time),
  };
}

const NUMERIC = new Set(['value', 'owner_id', 'stage_id', 'pipeline_id', 'industry']);

/** Canonical fields → a v2 request body (null clears a value). */
export function writeBody<O extends ObjectType>(object: O, fields: Partial<FieldsOf[O]>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const address: Record<string, string | null> = {};
  for (const [property, raw] of Object.entries(writeFields(pipedriveFields[object], fields))) {
    const value = raw === '' ? null : raw;
    if (property === 'emails' || property === 'phones') body[property] = value === null ? [] : [{ value, primary: true, label: 'work' }];
    else if (property.startsWith('address.')) address[property.slice('address.'.length)] = value;
    else if (NUMERIC.has(property)) body[property] = value === null ? null : Number(value);
    else if (property === 'expected_close_date') body[property] = value === null ? null : value.slice(0, 10);
    else body[property] = value;
  }
  if (Object.keys(address).length) body.address = address;
  // A person's display name is required and not derived by the API from first and last name.
  if (object === 'contacts' && ('first_name' in body || 'last_name' in body) && !('name' in body) && body.first_name !== undefined && body.last_name !== undefined) {
    body.name = [body.first_name, body.last_name].filter(Boolean).join(' ');
  }
  return body;
}

/** Pipedrive ids are integers: order them as numbers. */
export function compareIds(a: string, b: string): number {
  return Number(a) - Number(b);
}
