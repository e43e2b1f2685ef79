import type { Associations, CanonicalRecord, FieldsOf } from '../connector.js';
import type { ObjectType } from '../platforms.js';
import { hubspotObjects } from './spec.js';

/**
 * HubSpot records → our unified model. Pure functions: every value HubSpot sends is a string (or
 * null), so numbers and dates are parsed here, once.
 */
export interface HubspotRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt?: string;
  updatedAt?: string;
  archived?: boolean;
  archivedAt?: string;
  associations?: Record<string, { results: { id: string; type?: string }[] }>;
}

const text = (value: string | null | undefined): string | null => (value === undefined || value === null || value === '' ? null : value);

function number(value: string | null | undefined): number | null {
  const parsed = text(value) === null ? NaN : Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

// HubSpot's own timestamps are already canonical ISO (what toISOString gives): keep them as they are.
const CANONICAL_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function date(value: string | null | undefined): string | null {
  const raw = text(value);
  if (!raw) return null;
  if (raw.length === 24 && CANONICAL_ISO.test(raw)) return raw;
  const at = /^\d+$/.test(raw) ? new Date(Number(raw)) : new Date(raw);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

const fieldMaps: { [O in ObjectType]: (p: HubspotRecord['properties']) => FieldsOf[O] } = {
  contacts: (p) => ({
    firstName: text(p.firstname), lastName: text(p.lastname), email: text(p.email)?.toLowerCase() ?? null,
    phone: text(p.phone), jobTitle: text(p.jobtitle), ownerId: text(p.hubspot_owner_id),
  }),
  companies: (p) => ({
    name: text(p.name), domain: text(p.domain)?.toLowerCase() ?? null, industry: text(p.industry),
    phone: text(p.phone), city: text(p.city), country: text(p.country), ownerId: text(p.hubspot_owner_id),
  }),
  deals: (p) => ({
    name: text(p.dealname), amount: number(p.amount), currency: text(p.deal_currency_code), stage: text(p.dealstage),
    pipeline: text(p.pipeline), closeDate: date(p.closedate), ownerId: text(p.hubspot_owner_id),
  }),
};

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
    fields: fieldMaps[object](record.properties),
    properties: record.properties,
    associations: withAssociations ? mapAssociations(object, record.associations) : undefined,
    remoteCreatedAt: date(record.createdAt ?? record.properties.createdate),
    remoteUpdatedAt: date(record.updatedAt ?? record.properties[spec.modifiedProperty]),
  };
}

/** HubSpot ids are decimal strings of varying length: order them as numbers. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
