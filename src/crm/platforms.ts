/**
 * The four CRMs as data: what the wizard shows (objects, features, tiers and their API limits,
 * scopes, setup steps) and what the engine needs (OAuth endpoints, API base, page sizes, limits).
 * Code reads this table; provider modules hold only what data cannot say.
 * Sources for every number: ../shared/crm-api-facts.md.
 */
import type { ConnectionSpec } from './connection-config.js';

export const platformIds = ['hubspot', 'salesforce', 'pipedrive', 'zoho'] as const;
export type PlatformId = (typeof platformIds)[number];
export const objectTypes = ['contacts', 'companies', 'deals'] as const;
export type ObjectType = (typeof objectTypes)[number];

export interface Scope {
  name: string;
  description: string;
  /** Required scopes are always requested; optional ones are the user's choice. */
  required: boolean;
  /** The objects this scope lets us read (for the connection test's permission check). */
  reads?: ObjectType[];
}

export interface Tier {
  name: string;
  /** A person-readable line, e.g. "110 requests / 10 s per account". */
  limits: string[];
}

export interface OAuthSpec {
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl?: string;
  /** How the client authenticates at the token endpoint. */
  clientAuth: 'body' | 'basic';
  pkce: boolean;
  scopeSeparator: ' ' | ',';
  /**
   * The authorize parameter that carries the scopes a user may decline (HubSpot's `optional_scope`);
   * without one, optional scopes join the `scope` list.
   */
  optionalScopeParam?: string;
  /** Extra query parameters the authorize URL needs. */
  authorizeParams?: Record<string, string>;
}

/**
 * Writing back to the CRM: the feature line and the write scopes it needs. Offered (listed on the
 * card, asked for at consent) only once `available` is true: until the engine writes back, asking
 * a person for write access would be asking for more than Pulse uses.
 */
export interface TwoWaySpec {
  available: boolean;
  feature: string;
  scopes: Scope[];
}

/**
 * Where a person signs in, when a CRM has more than one sign-in host (Salesforce: production,
 * sandbox orgs, a company's My Domain). The wizard offers the options; the chosen origin is kept on
 * the connection in `field` (a `from: 'start'` connection field, checked against the same hosts), and
 * authorize, token, refresh and revoke all go there: a token is refreshed where it was issued.
 */
export interface LoginHostSpec {
  /** The connection field that keeps the chosen origin. */
  field: string;
  /** Fixed hosts; the first is the default (the registry's own OAuth URLs point at it). */
  options: { id: string; label: string; origin: string }[];
  /** A host the person types, allowed only on these origin patterns (see connection-config.ts). */
  custom?: { id: string; label: string; placeholder: string; allow: string[] };
}

export interface PlatformSpec {
  id: PlatformId;
  name: string;
  /** Brand colour for the card's mark. */
  color: string;
  /** The provider's name for each of our objects. */
  objects: Record<ObjectType, string>;
  /** In the user's words: no API jargon (these are shown on the CRM chooser). */
  features: string[];
  twoWay: TwoWaySpec;
  tiers: Tier[];
  scopes: Scope[];
  setupSteps: string[];
  docsUrl: string;
  oauth: OAuthSpec;
  /** Real API origin; the sandbox replaces it when no client id is configured. */
  apiBaseUrl: string;
  /** Where an account lives when the CRM tells only at token time (absent: apiBaseUrl serves everyone). */
  connection?: ConnectionSpec;
  /** A choice of sign-in host, for CRMs that have several. */
  loginHosts?: LoginHostSpec;
  /** Whether the engine can sync this CRM yet (the wizard says so plainly when not). */
  available: boolean;
}

/** Every origin a login-host choice may end on: the fixed options and the custom patterns. */
export const loginHostOrigins = (spec: Omit<LoginHostSpec, 'field'>): string[] => [...spec.options.map((option) => option.origin), ...(spec.custom?.allow ?? [])];

// Salesforce signs in on one of three kinds of host (crm-api-facts.md §2A). A My Domain is
// `<name>.my.salesforce.com`, and a sandbox's `<name>--<sandbox>.sandbox.my.salesforce.com`.
const salesforceLoginHosts = {
  options: [
    { id: 'production', label: 'Production', origin: 'https://login.salesforce.com' },
    { id: 'sandbox', label: 'Sandbox', origin: 'https://test.salesforce.com' },
  ],
  custom: { id: 'my_domain', label: 'My Domain', placeholder: 'https://yourcompany.my.salesforce.com', allow: ['https://*.my.salesforce.com'] },
};

const registry = {
  hubspot: {
    id: 'hubspot',
    name: 'HubSpot',
    color: '#ff7a59',
    objects: { contacts: 'Contacts', companies: 'Companies', deals: 'Deals' },
    features: ['Everything first, then only what changed', 'Deleted records removed', 'Links between contacts, companies and deals', 'Every 15 minutes, or when you press Sync now'],
    twoWay: {
      available: false,
      feature: 'Changes made in Pulse written back',
      scopes: [
        { name: 'crm.objects.contacts.write', description: 'Update contacts', required: false },
        { name: 'crm.objects.companies.write', description: 'Update companies', required: false },
        { name: 'crm.objects.deals.write', description: 'Update deals', required: false },
      ],
    },
    tiers: [
      { name: 'Public OAuth app (any plan)', limits: ['110 requests / 10 s per account', 'Search: 5 requests / s', 'No daily limit'] },
      { name: 'Free & Starter (private app)', limits: ['100 requests / 10 s', '250,000 requests / day'] },
      { name: 'Professional (private app)', limits: ['190 requests / 10 s', '625,000 requests / day'] },
      { name: 'Enterprise (private app)', limits: ['190 requests / 10 s', '1,000,000 requests / day'] },
    ],
    scopes: [
      { name: 'oauth', description: 'Identify the connected account', required: true },
      { name: 'crm.objects.contacts.read', description: 'Read contacts', required: true, reads: ['contacts'] },
      { name: 'crm.objects.companies.read', description: 'Read companies', required: true, reads: ['companies'] },
      { name: 'crm.objects.deals.read', description: 'Read deals', required: true, reads: ['deals'] },
    ],
    setupSteps: [
      'In your HubSpot developer account, open Apps → Create app.',
      'On the Auth tab, add the redirect URL shown here exactly.',
      'Add the required scopes listed here to the app.',
      'Copy the Client ID and Client secret into HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET on the server, then restart it.',
    ],
    docsUrl: 'https://developers.hubspot.com/docs/api/oauth-quickstart-guide',
    oauth: {
      authorizeUrl: 'https://app.hubspot.com/oauth/authorize',
      tokenUrl: 'https://api.hubapi.com/oauth/v1/token',
      revokeUrl: 'https://api.hubapi.com/oauth/v1/refresh-tokens/{token}',
      clientAuth: 'body',
      pkce: true,
      scopeSeparator: ' ',
      optionalScopeParam: 'optional_scope',
    },
    apiBaseUrl: 'https://api.hubapi.com',
    available: true,
  },
  salesforce: {
    id: 'salesforce',
    name: 'Salesforce',
    color: '#00a1e0',
    objects: { contacts: 'Contact', companies: 'Account', deals: 'Opportunity' },
    features: ['Everything first, then only what changed', 'Deleted records removed', 'Fast first sync for large orgs'],
    twoWay: { available: false, feature: 'Changes made in Pulse written back', scopes: [] },
    tiers: [
      { name: 'Developer Edition', limits: ['15,000 requests / 24 h', '5 long-running requests at once'] },
      { name: 'Professional & Enterprise', limits: ['100,000 + 1,000 per licence requests / 24 h', '25 long-running requests at once'] },
      { name: 'Unlimited & Performance', limits: ['100,000 + 5,000 per licence requests / 24 h', '25 long-running requests at once'] },
    ],
    scopes: [
      { name: 'api', description: 'Access your contacts, accounts and opportunities', required: true, reads: ['contacts', 'companies', 'deals'] },
      { name: 'refresh_token', description: 'Stay connected without asking again', required: true },
      { name: 'id', description: 'Identify the connected user and org', required: false },
    ],
    setupSteps: [
      'In Salesforce Setup, open App Manager → New Connected App.',
      'Enable OAuth settings and add the callback URL shown here exactly.',
      'Select the OAuth scopes listed here; require PKCE.',
      'Copy the Consumer Key and Secret into SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET, then restart the server.',
    ],
    docsUrl: 'https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm',
    oauth: {
      authorizeUrl: 'https://login.salesforce.com/services/oauth2/authorize',
      tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
      revokeUrl: 'https://login.salesforce.com/services/oauth2/revoke',
      clientAuth: 'body',
      pkce: true,
      scopeSeparator: ' ',
    },
    apiBaseUrl: 'https://login.salesforce.com',
    connection: {
      fields: [
        { name: 'instance_url', from: 'token', required: true, allow: ['https://*.salesforce.com', 'https://*.force.com'] },
        { name: 'id', from: 'token', required: false, allow: ['https://*.salesforce.com', 'https://*.force.com'] },
        { name: 'login_host', from: 'start', required: false, allow: loginHostOrigins(salesforceLoginHosts) },
      ],
      apiBase: 'instance_url',
      tokenOrigin: 'login_host',
    },
    loginHosts: { field: 'login_host', ...salesforceLoginHosts },
    available: true,
  },
  pipedrive: {
    id: 'pipedrive',
    name: 'Pipedrive',
    color: '#1a1a1a',
    objects: { contacts: 'Persons', companies: 'Organizations', deals: 'Deals' },
    features: ['Everything first, then only what changed', 'Deleted records removed', 'Links between persons, organizations and deals', 'Every 15 minutes, or when you press Sync now'],
    twoWay: {
      available: true,
      feature: 'Changes made in Pulse written back',
      scopes: [
        { name: 'contacts:full', description: 'Update persons and organizations', required: false },
        { name: 'deals:full', description: 'Update deals', required: false },
      ],
    },
    tiers: [
      // A first sync of 1M records is 2,000 list requests of 500 (about 10 tokens each: 20,000 tokens).
      { name: 'Lite', limits: ['80 requests / 2 s (OAuth app)', '30,000 tokens × seats / day', '1M records: about 50 s of requests, within one day from 1 seat'] },
      { name: 'Growth', limits: ['160 requests / 2 s (OAuth app)', '60,000 tokens × seats / day', '1M records: about 25 s of requests, within one day'] },
      { name: 'Premium', limits: ['400 requests / 2 s (OAuth app)', '150,000 tokens × seats / day', '1M records: about 10 s of requests, within one day'] },
      { name: 'Ultimate', limits: ['480 requests / 2 s (OAuth app)', '210,000 tokens × seats / day', '1M records: about 9 s of requests, within one day'] },
    ],
    scopes: [
      { name: 'base', description: 'Identify the connected user and company', required: true },
      { name: 'contacts:read', description: 'Read persons and organizations', required: true, reads: ['contacts', 'companies'] },
      { name: 'deals:read', description: 'Read deals', required: true, reads: ['deals'] },
      { name: 'webhooks:full', description: 'Receive changes as they happen', required: false },
    ],
    setupSteps: [
      'In Pipedrive Developer Hub, create an app.',
      'Add the callback URL shown here exactly.',
      'Select the scopes listed here.',
      'Copy the Client ID and secret into PIPEDRIVE_CLIENT_ID and PIPEDRIVE_CLIENT_SECRET, then restart the server.',
    ],
    docsUrl: 'https://pipedrive.readme.io/docs/marketplace-oauth-authorization',
    oauth: {
      authorizeUrl: 'https://oauth.pipedrive.com/oauth/authorize',
      tokenUrl: 'https://oauth.pipedrive.com/oauth/token',
      revokeUrl: 'https://oauth.pipedrive.com/oauth/revoke',
      clientAuth: 'basic',
      pkce: false,
      scopeSeparator: ',',
    },
    apiBaseUrl: 'https://api.pipedrive.com',
    connection: {
      fields: [{ name: 'api_domain', from: 'token', required: true, allow: ['https://*.pipedrive.com'] }],
      apiBase: 'api_domain',
    },
    available: true,
  },
  zoho: {
    id: 'zoho',
    name: 'Zoho CRM',
    color: '#e42527',
    objects: { contacts: 'Contacts', companies: 'Accounts', deals: 'Deals' },
    features: ['Everything first, then only what changed', 'Deleted records removed'],
    twoWay: {
      available: false,
      feature: 'Changes made in Pulse written back',
      scopes: [{ name: 'ZohoCRM.modules.ALL', description: 'Update records', required: false }],
    },
    tiers: [
      { name: 'Free', limits: ['5,000 credits / 24 h', '5 concurrent requests'] },
      { name: 'Standard', limits: ['50,000 + 250 per user credits / 24 h (max 100,000)', '10 concurrent requests'] },
      { name: 'Professional', limits: ['50,000 + 500 per user credits / 24 h', '15 concurrent requests'] },
      { name: 'Enterprise', limits: ['50,000 + 1,000 per user credits / 24 h', '20 concurrent requests'] },
    ],
    scopes: [
      { name: 'ZohoCRM.modules.contacts.READ', description: 'Read contacts', required: true, reads: ['contacts'] },
      { name: 'ZohoCRM.modules.accounts.READ', description: 'Read accounts (companies)', required: true, reads: ['companies'] },
      { name: 'ZohoCRM.modules.deals.READ', description: 'Read deals', required: true, reads: ['deals'] },
      { name: 'ZohoCRM.users.READ', description: 'Identify the connected user', required: true },
      { name: 'ZohoCRM.org.READ', description: 'Read the organization and its limits', required: true },
      { name: 'ZohoCRM.settings.fields.READ', description: 'Read field labels (deal stages, industries)', required: true },
      { name: 'ZohoCRM.notifications.ALL', description: 'Be told of changes as they happen (else they arrive with the next sync)', required: false },
    ],
    setupSteps: [
      'In the Zoho API Console, add a Server-based Application.',
      'Add the authorized redirect URI shown here exactly.',
      'Copy the Client ID and Client Secret into ZOHO_CLIENT_ID and ZOHO_CLIENT_SECRET, then restart the server.',
    ],
    docsUrl: 'https://www.zoho.com/crm/developer/docs/api/v8/oauth-overview.html',
    oauth: {
      authorizeUrl: 'https://accounts.zoho.com/oauth/v2/auth',
      tokenUrl: 'https://accounts.zoho.com/oauth/v2/token',
      revokeUrl: 'https://accounts.zoho.com/oauth/v2/token/revoke',
      clientAuth: 'body',
      pkce: false,
      scopeSeparator: ',',
      authorizeParams: { access_type: 'offline', prompt: 'consent' },
    },
    apiBaseUrl: 'https://www.zohoapis.com',
    connection: {
      fields: [
        { name: 'api_domain', from: 'token', required: true, allow: ['com', 'eu', 'in', 'com.au', 'jp', 'ca', 'sa', 'com.cn'].map((tld) => `https://www.zohoapis.${tld}`) },
        {
          name: 'accounts-server', from: 'callback', required: false,
          allow: ['com', 'eu', 'in', 'com.au', 'jp', 'sa', 'com.cn'].map((tld) => `https://accounts.zoho.${tld}`).concat('https://accounts.zohocloud.ca'),
        },
      ],
      apiBase: 'api_domain',
      tokenOrigin: 'accounts-server',
    },
    available: true,
  },
} as const satisfies Record<PlatformId, PlatformSpec>;

/** What a platform offers now: its two-way feature and write scopes join the lists only once available. */
function offered(spec: PlatformSpec): PlatformSpec {
  if (!spec.twoWay.available) return spec;
  return { ...spec, features: [...spec.features, spec.twoWay.feature], scopes: [...spec.scopes, ...spec.twoWay.scopes] };
}

/**
 * Checked as literal data above (every platform present, every field right), read through the wide
 * type with two-way applied: `scopes` is what the consent page may ask for (the OAuth flow accepts no
 * other), `features` what the chooser lists.
 */
export const platforms: Readonly<Record<PlatformId, PlatformSpec>> = Object.fromEntries(
  platformIds.map((id) => [id, offered(registry[id])]),
) as Record<PlatformId, PlatformSpec>;

/** The scopes a person may grant or leave out when connecting `platform` (the wizard shows them unticked). */
export function optionalScopes(platform: PlatformId): string[] {
  return platforms[platform].scopes.filter((scope) => !scope.required).map((scope) => scope.name);
}
