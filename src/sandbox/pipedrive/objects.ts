/**
 * Pipedrive's objects and fields as data: our object names ↔ Pipedrive's (persons, organizations,
 * deals), the v2 paths, the custom fields (40-character hash keys under `custom_fields`), the option
 * sets and the pipelines with their stages. https://developers.pipedrive.com/docs/api/v1/PersonFields
 */
import { createHash } from 'node:crypto';

export const OBJECT_TYPES = ['contacts', 'companies', 'deals'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export interface ObjectSpec {
  /** The v2 path segment (`/api/v2/<path>`). */
  path: 'persons' | 'organizations' | 'deals';
  /** The entity name in webhooks and the `*Fields` metadata endpoints. */
  entity: 'person' | 'organization' | 'deal';
  /** Single-valued links stored on this object: our object name → the v2 property holding the id. */
  links: Partial<Record<ObjectType, 'org_id' | 'person_id'>>;
}

export const OBJECTS: Record<ObjectType, ObjectSpec> = {
  contacts: { path: 'persons', entity: 'person', links: { companies: 'org_id' } },
  companies: { path: 'organizations', entity: 'organization', links: {} },
  deals: { path: 'deals', entity: 'deal', links: { companies: 'org_id', contacts: 'person_id' } },
};

export function objectOfPath(path: string): ObjectType | undefined {
  return OBJECT_TYPES.find((t) => OBJECTS[t].path === path);
}

/** Our name or Pipedrive's, for the admin API. */
export function resolveObjectType(name: string): ObjectType | undefined {
  return (OBJECT_TYPES as readonly string[]).includes(name) ? (name as ObjectType) : objectOfPath(name);
}

/** Custom field keys are 40 hex characters (a SHA-1 in shape); derived from a name so they are stable. */
const hashKey = (name: string) => createHash('sha1').update(`pulse-sandbox:${name}`).digest('hex');

export interface CustomField {
  key: string;
  name: string;
  fieldType: 'varchar' | 'phone' | 'enum' | 'double';
  options?: { id: number; label: string }[];
}

export const INDUSTRIES = ['Software', 'Manufacturing', 'Retail', 'Healthcare', 'Finance', 'Education', 'Logistics', 'Media'].map((label, i) => ({ id: 101 + i, label }));

/** An account's own picklists: numeric option ids, what records carry; the labels come from the fields metadata. */
export const TIERS = ['Bronze', 'Silver', 'Gold', 'Platinum'].map((label, i) => ({ id: 201 + i, label }));
export const PRIORITIES = ['Low', 'Medium', 'High'].map((label, i) => ({ id: 301 + i, label }));

export const CUSTOM_FIELDS: Record<ObjectType, CustomField[]> = {
  contacts: [
    { key: hashKey('person:lead_source'), name: 'Lead source', fieldType: 'varchar' },
    { key: hashKey('person:loyalty_tier'), name: 'Loyalty tier', fieldType: 'enum', options: TIERS },
    { key: hashKey('person:engagement_score'), name: 'Engagement score', fieldType: 'double' },
  ],
  companies: [
    { key: hashKey('organization:phone'), name: 'Phone', fieldType: 'phone' },
    { key: hashKey('organization:customer_tier'), name: 'Customer tier', fieldType: 'enum', options: TIERS },
    { key: hashKey('organization:health_score'), name: 'Health score', fieldType: 'double' },
  ],
  deals: [
    { key: hashKey('deal:source'), name: 'Source', fieldType: 'varchar' },
    { key: hashKey('deal:priority'), name: 'Priority', fieldType: 'enum', options: PRIORITIES },
    { key: hashKey('deal:discount'), name: 'Discount %', fieldType: 'double' },
  ],
};

export const customKey = (type: ObjectType, name: string) => CUSTOM_FIELDS[type].find((f) => f.name === name)!.key;
export const isCustomKey = (key: string) => /^[0-9a-f]{40}$/.test(key);

export interface Stage { id: number; name: string; pipelineId: number; orderNr: number; dealProbability: number }
export const PIPELINES = [{ id: 1, name: 'Sales pipeline', orderNr: 1 }];
export const STAGES: Stage[] = ['Qualified', 'Contact made', 'Demo scheduled', 'Proposal made', 'Negotiations started'].map((name, i) => ({
  id: i + 1, name, pipelineId: 1, orderNr: i + 1, dealProbability: [10, 20, 40, 60, 80][i]!,
}));
export const DEAL_STATUSES = ['open', 'won', 'lost'] as const;
export const CURRENCIES = ['USD', 'EUR', 'GBP'];
