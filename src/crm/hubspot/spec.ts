import type { ObjectType } from '../platforms.js';

/**
 * HubSpot CRM v3 as data. Property names are HubSpot's internal names; the modified-time property
 * differs between contacts and the other objects. https://developers.hubspot.com/docs/api/crm/understanding-the-crm
 */
export interface HubspotObjectSpec {
  path: string;
  /** Property holding the last modification time (search filter and sort). */
  modifiedProperty: string;
  /** Properties our unified model maps; only these (plus the user's extras) are requested. */
  properties: string[];
  /** Association types stored on this object's side (the other side is derived, never fetched twice). */
  associations: ObjectType[];
}

export const hubspotObjects: Record<ObjectType, HubspotObjectSpec> = {
  contacts: {
    path: 'contacts',
    modifiedProperty: 'lastmodifieddate',
    properties: ['firstname', 'lastname', 'email', 'phone', 'jobtitle', 'hubspot_owner_id', 'createdate', 'lastmodifieddate'],
    associations: ['companies'],
  },
  companies: {
    path: 'companies',
    modifiedProperty: 'hs_lastmodifieddate',
    properties: ['name', 'domain', 'industry', 'phone', 'city', 'country', 'hubspot_owner_id', 'createdate', 'hs_lastmodifieddate'],
    associations: [],
  },
  deals: {
    path: 'deals',
    modifiedProperty: 'hs_lastmodifieddate',
    properties: ['dealname', 'amount', 'deal_currency_code', 'dealstage', 'pipeline', 'closedate', 'hubspot_owner_id', 'createdate', 'hs_lastmodifieddate'],
    associations: ['companies', 'contacts'],
  },
};

export const hubspotLimits = {
  listPageSize: 100,
  searchPageSize: 200,
  /** Search stops at 10,000 results per query; past that we start a new time window. */
  searchResultCap: 10_000,
  associationsBatchSize: 1000,
  /** Search has its own limit and its responses carry no rate-limit headers. */
  searchRate: { max: 5, windowMs: 1000 },
  headers: { max: 'x-hubspot-ratelimit-max', interval: 'x-hubspot-ratelimit-interval-milliseconds', remaining: 'x-hubspot-ratelimit-remaining' },
} as const;
