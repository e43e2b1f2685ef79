import type { Associations, CanonicalRecord } from '../crm/connector.js';
import type { ObjectType } from '../crm/platforms.js';
import type { CustomFieldsReader } from './custom-fields.js';

/**
 * How each unified object is stored: its table, typed columns (from the canonical fields) and the
 * association arrays it keeps. The writers below are generated from this table, not written thrice.
 */
export interface RecordTable {
  table: string;
  /** [column, canonical field, SQL type] */
  fields: [string, string, string][];
  /** [column, associated object] */
  associations: [string, ObjectType][];
}

export const recordTables: Record<ObjectType, RecordTable> = {
  contacts: {
    table: 'crm_contacts',
    fields: [['first_name', 'firstName', 'text'], ['last_name', 'lastName', 'text'], ['email', 'email', 'text'], ['phone', 'phone', 'text'], ['job_title', 'jobTitle', 'text'], ['owner_id', 'ownerId', 'text']],
    associations: [['company_remote_ids', 'companies']],
  },
  companies: {
    table: 'crm_companies',
    fields: [['name', 'name', 'text'], ['domain', 'domain', 'text'], ['industry', 'industry', 'text'], ['phone', 'phone', 'text'], ['city', 'city', 'text'], ['country', 'country', 'text'], ['owner_id', 'ownerId', 'text']],
    associations: [],
  },
  deals: {
    table: 'crm_deals',
    fields: [['name', 'name', 'text'], ['amount', 'amount', 'numeric'], ['currency', 'currency', 'text'], ['stage', 'stage', 'text'], ['pipeline', 'pipeline', 'text'], ['close_date', 'closeDate', 'timestamptz'], ['owner_id', 'ownerId', 'text']],
    associations: [['company_remote_ids', 'companies'], ['contact_remote_ids', 'contacts']],
  },
};

/** Records written without an integration's mappings (tests, tools) carry no custom fields. */
const noCustomFields: CustomFieldsReader = () => ({});

/** One row as the JSON document the upsert reads with jsonb_to_recordset; `customFields` reads the mapped values (custom-fields.ts). */
export function toRow(object: ObjectType, record: CanonicalRecord, customFields: CustomFieldsReader = noCustomFields): Record<string, unknown> {
  const spec = recordTables[object];
  const row: Record<string, unknown> = {
    remote_id: record.remoteId,
    properties: record.properties,
    remote_created_at: record.remoteCreatedAt,
    remote_updated_at: record.remoteUpdatedAt,
    custom_fields: customFields(record.properties),
  };
  for (const [column, field] of spec.fields) row[column] = (record.fields as unknown as Record<string, unknown>)[field] ?? null;
  for (const [column, other] of spec.associations) row[column] = record.associations ? (record.associations[other] ?? []) : null;
  return row;
}

export function associationRow(object: ObjectType, remoteId: string, associations: Associations): Record<string, unknown> {
  const row: Record<string, unknown> = { remote_id: remoteId };
  for (const [column, other] of recordTables[object].associations) row[column] = associations[other] ?? [];
  return row;
}
