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
  fieldType: 'varchar' | 'phone' | 'enum';
  options?: { id: number; label: string }[];
}

export const INDUSTRIES = ['Software', 'Manufacturing', 'Retail', 'Healthcare', 'Finance', 'Education', 'Logistics', 'Media'].map((label, i) => ({ id: 101 + i, label }));

export const CUSTOM_FIELDS: Record<ObjectType, CustomField[]> = {
  contacts: [{ key: hashKey('person:lead_source'), name: 'Lead source', fieldType: 'varchar' }],
  companies: [{ key: hashKey('organization:phone'), name: 'Phone', fieldType: 'phone' }],
  deals: [{ key: hashKey('deal:source'), name: 'Source', fieldType: 'varchar' }],
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
