/**
 * The built-in OAuth app every Pipedrive sandbox registers. Fixed values so a separately started
 * product process finds them without asking. Pipedrive apps declare their scopes in the Developer
 * Hub, not in the authorize URL: the consent page grants the app's scopes, and the token response
 * lists them comma-separated.
 */
import type { SandboxApp } from '../core/store.js';

export const PIPEDRIVE_DEFAULT_REDIRECT_URIS = ['http://localhost:3000/crm/oauth/callback', 'http://127.0.0.1:3000/crm/oauth/callback'];
export const PIPEDRIVE_SCOPES = ['base', 'contacts:read', 'deals:read', 'webhooks:full'];
export const PIPEDRIVE_OPTIONAL_SCOPES = ['contacts:full', 'deals:full', 'users:read', 'search:read'];

export const PIPEDRIVE_APP: SandboxApp = {
  clientId: 'a3f1c2d4e5b60718',
  clientSecret: '9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b',
  appId: 4_100_001,
  name: 'Pulse CRM Sync',
  redirectUris: PIPEDRIVE_DEFAULT_REDIRECT_URIS,
  scopes: PIPEDRIVE_SCOPES,
  optionalScopes: PIPEDRIVE_OPTIONAL_SCOPES,
};
