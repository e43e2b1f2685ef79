import { instant, lowercase, number, propertiesOf, text, type FieldCodec, type FieldTables } from '../field-codec.js';
import type { ObjectType } from '../platforms.js';

/**
 * Zoho CRM API v8 as data. Field API names are Zoho's standard layouts (Contacts, Accounts, Deals);
 * owners and lookups come as `{name, id}`, times to the second with an offset.
 * https://www.zoho.com/crm/developer/docs/api/v8/get-records.html
 */

/** A lookup (`Owner: {name, id, email}`) read as its id; written as the bare id, which Zoho accepts. */
const lookupId = (property: string): FieldCodec<string> => ({
  property,
  read: (raw) => {
    const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : raw;
    return id === undefined || id === null || id === '' ? null : String(id);
  },
  write: (value) => value ?? '',
});

/** Accounts keep a Website, not a domain: the host of it, without `www.`, is our domain; a domain is written as it is. */
const websiteDomain = (property: string): FieldCodec<string> => ({
  property,
  read: (raw) => {
    if (typeof raw !== 'string' || raw.trim() === '') return null;
    const text = raw.trim();
    try {
      return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`).hostname.replace(/^www\./, '').toLowerCase();
    } catch {
      return text.toLowerCase();
    }
  },
  write: (value) => value ?? '',
});

/** Our canonical fields ↔ Zoho's fields (read and written through the same table: mapping.ts). */
export const zohoFields: FieldTables = {
  contacts: {
    firstName: text('First_Name'), lastName: text('Last_Name'), email: lowercase('Email'),
    phone: text('Phone'), jobTitle: text('Title'), ownerId: lookupId('Owner'),
  },
  companies: {
    name: text('Account_Name'), domain: websiteDomain('Website'), industry: text('Industry'),
    phone: text('Phone'), city: text('Billing_City'), country: text('Billing_Country'), ownerId: lookupId('Owner'),
  },
  deals: {
    name: text('Deal_Name'), amount: number('Amount'), currency: text('Currency'), stage: text('Stage'),
    pipeline: text('Pipeline'), closeDate: instant('Closing_Date'), ownerId: lookupId('Owner'),
  },
};

export interface ZohoModuleSpec {
  /** The module's API name in paths. */
  module: 'Contacts' | 'Accounts' | 'Deals';
  /** Lookup fields this module holds, and the object each points at: our associations. */
  lookups: Partial<Record<ObjectType, string>>;
  /** What a listing asks for (`fields` is required in v8): the field table's, the lookups and the times. */
  fields: string[];
}

const spec = (module: ZohoModuleSpec['module'], object: ObjectType, lookups: ZohoModuleSpec['lookups']): ZohoModuleSpec => ({
  module, lookups, fields: [...new Set([...propertiesOf(zohoFields[object]), ...Object.values(lookups), 'Created_Time', 'Modified_Time'])],
});

export const zohoModules: Record<ObjectType, ZohoModuleSpec> = {
  contacts: spec('Contacts', 'contacts', { companies: 'Account_Name' }),
  companies: spec('Accounts', 'companies', {}),
  deals: spec('Deals', 'deals', { companies: 'Account_Name', contacts: 'Contact_Name' }),
};

export const zohoLimits = {
  /** `per_page` maximum. */
  pageSize: 200,
  /** Records one page_token chain may reach; past it a listing starts a new Modified_Time window. */
  tokenReach: 100_000,
  /** Records per create / update / delete call, and ids per `ids=` read. */
  writeBatch: 100,
  /** The window announced in X-RATELIMIT-* (see ../../sandbox/zoho/README.md: unconfirmed headers). */
  headers: { limit: 'x-ratelimit-limit', remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset' },
  /** The start of time for a modified-since window that must cover every record. */
  epoch: '1970-01-01T00:00:00+00:00',
} as const;

/** Credits per rolling 24 h by edition: 50,000 + a share per user license, capped (crm-api-facts §4C). */
export const creditsByEdition: Record<string, { perUser: number; max: number | null }> = {
  free: { perUser: 0, max: 5_000 },
  standard: { perUser: 250, max: 100_000 },
  professional: { perUser: 500, max: 3_000_000 },
  enterprise: { perUser: 1_000, max: 5_000_000 },
  ultimate: { perUser: 2_000, max: null },
};

/** Concurrent calls per org and app by edition. */
export const concurrencyByEdition: Record<string, number> = { free: 5, standard: 10, professional: 15, enterprise: 20, ultimate: 25 };

/** An org's credits per 24 h and concurrency, from its edition and user licenses (null: an edition we do not know). */
export function orgLimits(license: { paid_type?: string | null; users_license_purchased?: number | null } | undefined) {
  const edition = license?.paid_type?.toLowerCase() ?? '';
  const rule = creditsByEdition[edition];
  return {
    edition: license?.paid_type ?? null,
    creditsPer24h: rule ? Math.min(50_000 + rule.perUser * (license?.users_license_purchased ?? 0), rule.max ?? Infinity) : null,
    concurrency: concurrencyByEdition[edition] ?? null,
  };
}

/**
 * Credits a call costs: 1 for every call this connector makes (record listings up to 200 records,
 * counts, metadata, writes up to 100 records). Zoho documents heavier costs only for calls we do
 * not make (lead conversion, COQL and bulk by records) (crm-api-facts §4C).
 */
export const creditCost = (_method: string, _path: string): number => 1;

/** The data centre an API domain belongs to, by its host's ending (crm-api-facts §4A), for people to read. */
const dataCentres: [suffix: string, name: string][] = [
  ['zohoapis.com.au', 'Australia'], ['zohoapis.com.cn', 'China'], ['zohoapis.com', 'United States'], ['zohoapis.eu', 'Europe'],
  ['zohoapis.in', 'India'], ['zohoapis.jp', 'Japan'], ['zohoapis.ca', 'Canada'], ['zohoapis.sa', 'Saudi Arabia'],
];
export const dataCentreOf = (apiBase: string): string | null => {
  const host = new URL(apiBase).hostname;
  return dataCentres.find(([suffix]) => host === suffix || host.endsWith(`.${suffix}`))?.[1] ?? null;
};
