/** The built-in connected app every Salesforce sandbox registers (fixed values, like a real consumer key and secret). */
import type { SandboxApp } from '../core/store.js';

export const SALESFORCE_DEFAULT_REDIRECT_URIS = ['http://localhost:3000/crm/oauth/callback', 'http://127.0.0.1:3000/crm/oauth/callback'];
/** Scopes a connected app may be given; Salesforce has no object-level scopes (the profile decides). */
export const SALESFORCE_SCOPES = ['api', 'refresh_token', 'offline_access', 'id', 'openid', 'profile', 'email', 'full', 'web'];

export const SALESFORCE_APP: SandboxApp = {
  clientId: '3MVG9sandboxPulseCrmSyncConsumerKey0000000000000000000000000000000000000000000000000',
  clientSecret: 'F1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F80',
  appId: 4_200_001,
  name: 'Pulse CRM Sync',
  redirectUris: SALESFORCE_DEFAULT_REDIRECT_URIS,
  scopes: [],
  optionalScopes: SALESFORCE_SCOPES,
};

/** The org id (prefix 00D) of an account, and a user's id (prefix 005). */
export const orgIdOf = (accountId: number) => `00D${String(accountId).padStart(12, '0')}AAA`;
export const userIdOf = (userId: number) => `005${String(userId).padStart(12, '0')}AAA`;
