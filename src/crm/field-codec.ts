import type { FieldsOf } from './connector.js';
import type { ObjectType } from './platforms.js';

/**
 * Our canonical fields ↔ a CRM's properties, as data: each canonical field names the provider
 * property it lives in and how its value is read and written. Reading parses once (numbers, dates,
 * case-insensitive values); writing gives the provider the string form it accepts, '' to clear.
 * A connector describes its fields with these and gets both directions from one table.
 */
export interface FieldCodec<T> {
  property: string;
  read(raw: unknown): T | null;
  write(value: T | null): string;
}

export type FieldTable<O extends ObjectType> = { [F in keyof FieldsOf[O]]-?: FieldCodec<NonNullable<FieldsOf[O][F]>> };
export type FieldTables = { [O in ObjectType]: FieldTable<O> };

function asText(raw: unknown): string | null {
  if (raw === undefined || raw === null || raw === '') return null;
  return typeof raw === 'string' ? raw : String(raw);
}

export const text = (property: string): FieldCodec<string> => ({ property, read: asText, write: (value) => value ?? '' });

/** Emails and domains: compared and shown lowercased, whatever case the CRM kept. */
export const lowercase = (property: string): FieldCodec<string> => ({ property, read: (raw) => asText(raw)?.toLowerCase() ?? null, write: (value) => value ?? '' });

export const number = (property: string): FieldCodec<number> => ({
  property,
  read(raw) {
    const parsed = asText(raw) === null ? NaN : Number(raw);
    return Number.isFinite(parsed) ? parsed : null;
  },
  write: (value) => (value === null ? '' : String(value)),
});

// Already canonical ISO (what toISOString gives): kept as it is, the common case, without a Date.
const CANONICAL_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** An instant, sent by CRMs as ISO 8601 or as epoch milliseconds; canonical ISO in our model. */
export function readInstant(raw: unknown): string | null {
  const value = asText(raw);
  if (!value) return null;
  if (value.length === 24 && CANONICAL_ISO.test(value)) return value;
  const at = /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

export const instant = (property: string): FieldCodec<string> => ({ property, read: readInstant, write: (value) => value ?? '' });

/** Canonical fields of one object read from a CRM's properties. */
export function readFields<O extends ObjectType>(table: FieldTable<O>, properties: Record<string, unknown>): FieldsOf[O] {
  const fields: Record<string, unknown> = {};
  for (const [field, codec] of Object.entries(table) as [string, FieldCodec<unknown>][]) fields[field] = codec.read(properties[codec.property]);
  return fields as unknown as FieldsOf[O];
}

/** A CRM's properties for the canonical fields given (absent fields are left alone, null clears). */
export function writeFields<O extends ObjectType>(table: FieldTable<O>, fields: Partial<FieldsOf[O]>): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const [field, value] of Object.entries(fields)) {
    const codec = (table as Record<string, FieldCodec<unknown>>)[field];
    if (!codec) throw new TypeError(`${field} is not a canonical field`);
    if (value !== undefined) properties[codec.property] = codec.write(value);
  }
  return properties;
}

/** The provider properties a table reads (what a listing must ask for). */
export const propertiesOf = <O extends ObjectType>(table: FieldTable<O>): string[] => Object.values(table as Record<string, FieldCodec<unknown>>).map((codec) => codec.property);
