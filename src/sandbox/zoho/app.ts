/** The built-in OAuth app every Zoho sandbox registers (a "Server-based Application" of the API console). */
import type { SandboxApp } from '../core/store.js';

export const ZOHO_DEFAULT_REDIRECT_URIS = ['http://localhost:3000/crm/oauth/callback', 'http://127.0.0.1:3000/crm/oauth/callback'];
export const ZOHO_REQUIRED_SCOPES = [
  'ZohoCRM.modules.contacts.READ', 'ZohoCRM.modules.accounts.READ', 'ZohoCRM.modules.deals.READ', 'ZohoCRM.users.READ', 'ZohoCRM.org.READ', 'ZohoCRM.settings.fields.READ',
];
/** What a minted token (`POST /_sandbox/tokens`) gets beyond the required scopes: writes, notifications, bulk, COQL. */
export const ZOHO_OPTIONAL_SCOPES = ['ZohoCRM.modules.ALL', 'ZohoCRM.settings.ALL', 'ZohoCRM.notifications.ALL', 'ZohoCRM.bulk.READ', 'ZohoCRM.coql.READ'];

export const ZOHO_APP: SandboxApp = {
  clientId: '1000.PULSESANDBOX0CLIENT0ID0ZOHO01',
  clientSecret: '5d1f0b7c2e9a4c3b8f6e1d0a9b8c7d6e5f4a3b2c1d',
  appId: 4_100_001,
  name: 'Pulse CRM Sync',
  redirectUris: ZOHO_DEFAULT_REDIRECT_URIS,
  scopes: ZOHO_REQUIRED_SCOPES,
  optionalScopes: ZOHO_OPTIONAL_SCOPES,
};

