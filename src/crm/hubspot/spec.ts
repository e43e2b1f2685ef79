import { instant, lowercase, number, propertiesOf, text, type FieldTables } from '../field-codec.js';
import type { ObjectType } from '../platforms.js';

/** Our canonical fields ↔ HubSpot's properties (read and written through the same table: mapping.ts). */
export const hubspotFields: FieldTables = {
  contacts: {
    firstName: text('firstname'), lastName: text('lastname'), email: lowercase('email'),
    phone: text('phone'), jobTitle: text('jobtitle'), ownerId: text('hubspot_owner_id'),
  },
  companies: {
    name: text('name'), domain: lowercase('domain'), industry: text('industry'),
    phone: text('phone'), city: text('city'), country: text('country'), ownerId: text('hubspot_owner_id'),
  },
  deals: {
    name: text('dealname'), amount: number('amount'), currency: text('deal_currency_code'), stage: text('dealstage'),
    pipeline: text('pipeline'), closeDate: instant('closedate'), ownerId: text('hubspot_owner_id'),
  },
};


/**
 * HubSpot CRM v3 as data. Property names are HubSpot's internal names; the modified-time property
 * differs between contacts and the other objects. https://developers.hubspot.com/docs/api/crm/understanding-the-crm
 */
export interface HubspotObjectSpec {
  path: string;
  /** Property holding the last modification time (search filter and sort). */
  modifiedProperty: string;
  /** What a listing asks for: the field table's properties, the creation time and the modified-time property. */
  properties: string[];
  /** Association types stored on this object's side (the other side is derived, never fetched twice). */
  associations: ObjectType[];
}

export const hubspotObjects: Record<ObjectType, HubspotObjectSpec> = {
  contacts: {
    path: 'contacts',
    modifiedProperty: 'lastmodifieddate',
    properties: [...propertiesOf(hubspotFields.contacts), 'createdate', 'lastmodifieddate'],
    associations: ['companies'],
  },
  companies: {
    path: 'companies',
    modifiedProperty: 'hs_lastmodifieddate',
    properties: [...propertiesOf(hubspotFields.companies), 'createdate', 'hs_lastmodifieddate'],
    associations: [],
  },
  deals: {
    path: 'deals',
    modifiedProperty: 'hs_lastmodifieddate',
    properties: [...propertiesOf(hubspotFields.deals), 'createdate', 'hs_lastmodifieddate'],
    associations: ['companies', 'contacts'],
  },
};

export const hubspotLimits = {
  listPageSize: 100,
  searchPageSize: 200,
  /** Search stops at 10,000 results per query; past that we start a new time window. */
  searchResultCap: 10_000,
  associationsBatchSize: 1000,
  /** Records per batch read (POST /crm/v3/objects/{type}/batch/read takes at most 100 inputs). */
  readBatchSize: 100,
  /** Search has its own limit and its responses carry no rate-limit headers. */
  searchRate: { max: 5, windowMs: 1000 },
  headers: { max: 'x-hubspot-ratelimit-max', interval: 'x-hubspot-ratelimit-interval-milliseconds', remaining: 'x-hubspot-ratelimit-remaining' },
} as const;
