import { instant, lowercase, number, text, type FieldTables } from '../field-codec.js';
import type { ObjectType } from '../platforms.js';

/**
 * Our canonical fields ↔ Pipedrive's v2 fields (read and written through the same table:
 * mapping.ts). Emails and phones are lists in v2 (the primary entry is ours), the city and country
 * are parts of the organization's address; mapping.ts flattens those into the names used here.
 * Companies have no phone among Pipedrive's standard organization fields.
 * https://developers.pipedrive.com/docs/api/v1/Persons (v2 tab)
 */
export const pipedriveFields: FieldTables = {
  contacts: {
    firstName: text('first_name'), lastName: text('last_name'), email: lowercase('emails'),
    phone: text('phones'), jobTitle: text('job_title'), ownerId: text('owner_id'),
  },
  companies: {
    name: text('name'), domain: lowercase('website'), industry: text('industry'),
    phone: text('phone'), city: text('address.locality'), country: text('address.country'), ownerId: text('owner_id'),
  },
  deals: {
    name: text('title'), amount: number('value'), currency: text('currency'), stage: text('stage_id'),
    pipeline: text('pipeline_id'), closeDate: instant('expected_close_date'), ownerId: text('owner_id'),
  },
};

export interface PipedriveObjectSpec {
  /** The v2 path segment. */
  path: 'persons' | 'organizations' | 'deals';
  /** The webhook entity name. */
  entity: 'person' | 'organization' | 'deal';
  /** Links stored on this record: our object name → the v2 field holding the linked id. */
  links: Partial<Record<ObjectType, 'org_id' | 'person_id'>>;
}

export const pipedriveObjects: Record<ObjectType, PipedriveObjectSpec> = {
  contacts: { path: 'persons', entity: 'person', links: { companies: 'org_id' } },
  companies: { path: 'organizations', entity: 'organization', links: {} },
  deals: { path: 'deals', entity: 'deal', links: { companies: 'org_id', contacts: 'person_id' } },
};

export const pipedriveLimits = {
  /** The v2 maximum: a full sync needs records ÷ 500 requests. */
  pageSize: 500,
  /** Ids per list request by `ids` (the v2 lists take at most 100): reads by id, associations. */
  idsPerRequest: 100,
  /** Pipedrive's burst window; its headers give the limit and what remains, not the window's length. */
  burstWindowMs: 2_000,
  /** Persons and organizations are listed in full (and the unseen ones deleted) at least this often. */
  reconcileEveryMs: 24 * 3_600_000,
  /**
   * The share of the daily token budget a sync leaves unspent: the company's people and other apps
   * keep working on it, and a run stops before Pipedrive's 429s instead of running into them.
   */
  budgetReserveShare: 0.05,
  headers: {
    limit: 'x-ratelimit-limit',
    remaining: 'x-ratelimit-remaining',
    dailyLimit: 'x-daily-ratelimit-token-limit',
    dailyRemaining: 'x-daily-ratelimit-token-remaining',
  },
} as const;
