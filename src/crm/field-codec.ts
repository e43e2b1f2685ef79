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

/**
 * Reading a raw CRM value as one of our field types, for custom field mappings (a CRM field → a named
 * Pulse field). Strict on purpose: the same rules are written in SQL (pulse_mapped_value, migration
 * 024) to re-derive mapped values from stored properties, and the two must agree on every input.
 * Lookups and owners arrive as ids, or as objects with an `id` (Zoho's `{ name, id }`).
 */
export function scalarText(raw: unknown): string | null {
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  if (typeof raw === 'object' && !Array.isArray(raw) && 'id' in raw) {
    const id = (raw as { id: unknown }).id;
    return id === undefined || id === null || (typeof id === 'object') ? null : String(id);
  }
  return null;
}

// Bounded, so that every match is a finite double in JavaScript and in PostgreSQL's float8 alike.
const NUMERIC = /^\s*[-+]?(\d{1,30}\.?\d{0,30}|\.\d{1,30})([eE][-+]?\d{1,2})?\s*$/;
const DAY = /^\d{4}-\d\d-\d\d$/;
const ZONED = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d(:?\d\d)?)$/;
const LOCAL = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?$/;

/** Epoch milliseconds or ISO 8601 (no offset: UTC), as a Date; null for anything else. */
function strictInstant(value: string): Date | null {
  let at: Date | null = null;
  if (/^\d{1,15}$/.test(value)) at = new Date(Number(value));
  else if (DAY.test(value)) at = new Date(`${value}T00:00:00Z`);
  else if (ZONED.test(value)) at = new Date(value.replace(' ', 'T').replace(/([+-]\d\d)(\d\d)$/, '$1:$2').replace(/([+-]\d\d)$/, '$1:00'));
  else if (LOCAL.test(value)) at = new Date(`${value.replace(' ', 'T')}Z`);
  return at && !Number.isNaN(at.getTime()) ? at : null;
}

export type ValueType = 'text' | 'number' | 'currency' | 'date' | 'datetime' | 'boolean' | 'enumeration' | 'lookup' | 'owner';

/** One raw value as a Pulse field of `type`; `options` maps an enumeration's CRM values to ours. */
export function readValue(raw: unknown, type: ValueType, options?: Record<string, string> | null): string | number | boolean | null {
  const value = scalarText(raw);
  if (value === null) return null;
  switch (type) {
    case 'number':
    case 'currency': return NUMERIC.test(value) ? Number(value) : null;
    case 'boolean': {
      const lower = value.toLowerCase();
      return ['true', '1', 'yes'].includes(lower) ? true : ['false', '0', 'no'].includes(lower) ? false : null;
    }
    case 'date': return DAY.test(value) ? value : strictInstant(value)?.toISOString().slice(0, 10) ?? null;
    case 'datetime': return strictInstant(value)?.toISOString() ?? null;
    case 'enumeration': return options && Object.hasOwn(options, value) ? options[value]! : value;
    default: return value;
  }
}
