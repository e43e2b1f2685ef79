/**
 * The built-in OAuth app every HubSpot sandbox registers, its scopes and the developer API key. Fixed
 * values so a separately started product process finds them without asking.
 */
import type { SandboxApp } from '../core/store.js';

/** The developer API key (`hapikey`) the webhooks management API accepts. */
export const SANDBOX_DEVELOPER_API_KEY = 'sandbox-developer-hapikey';

export const HUBSPOT_DEFAULT_REDIRECT_URIS = ['http://localhost:3000/crm/oauth/callback', 'http://127.0.0.1:3000/crm/oauth/callback'];
export const HUBSPOT_REQUIRED_SCOPES = ['oauth', 'crm.objects.contacts.read', 'crm.objects.companies.read', 'crm.objects.deals.read'];
export const HUBSPOT_OPTIONAL_SCOPES = [
  'crm.objects.contacts.write',
  'crm.objects.companies.write',
  'crm.objects.deals.write',
  'crm.objects.owners.read',
  'crm.schemas.contacts.read',
  'crm.schemas.companies.read',
  'crm.schemas.deals.read',
];

export const HUBSPOT_APP: SandboxApp = {
  clientId: '6f1c0e5a-2f7b-4c1d-9a51-5d0c2b8e7a11',
  clientSecret: '0b9a7c3e-8d4f-4e2a-b1c6-3f5e9d7a2c48',
  appId: 3_100_001,
  name: 'Pulse CRM Sync',
  redirectUris: HUBSPOT_DEFAULT_REDIRECT_URIS,
  scopes: HUBSPOT_REQUIRED_SCOPES,
  optionalScopes: HUBSPOT_OPTIONAL_SCOPES,
  developerApiKey: SANDBOX_DEVELOPER_API_KEY,
};
