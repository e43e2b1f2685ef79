import type { z } from 'zod';
import type { Associations, CanonicalRecord } from '../connector.js';
import { readFields, readInstant } from '../field-codec.js';
import type { ObjectType } from '../platforms.js';
import type { sfRecord } from './responses.js';
import { salesforceFields } from './spec.js';

/**
 * Salesforce records ↔ our unified model. Pure functions over the field table (spec.ts). Every field
 * the query selected is kept in `properties` as Salesforce sent it (custom `__c` fields included),
 * without the `attributes` envelope; SystemModstamp is the modification time (it moves on system
 * changes too, which LastModifiedDate does not).
 */
export type SalesforceRecord = z.infer<typeof sfRecord>;

export function propertiesOf(record: SalesforceRecord): Record<string, unknown> {
  const { attributes: _attributes, ...properties } = record as Record<string, unknown>;
  return properties;
}

export function mapRecord<O extends ObjectType>(object: O, record: SalesforceRecord, associations?: Associations): CanonicalRecord<O> {
  const properties = propertiesOf(record);
  return {
    remoteId: record.Id,
    fields: readFields(salesforceFields[object], properties),
    properties,
    associations,
    remoteCreatedAt: readInstant(record.CreatedDate),
    remoteUpdatedAt: readInstant(record.SystemModstamp),
  };
}

/** Our canonical values as a Salesforce record body: '' (clear) becomes null, as the API wants it. */
export function toSalesforceValues(properties: Record<string, string>): Record<string, string | null> {
  return Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, value === '' ? null : value]));
}

/** A SOQL datetime literal (unquoted, UTC). */
export const soqlDateTime = (iso: string) => new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A SOQL string literal. */
export const soqlString = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
