import type { Config } from '../config.js';
import { platforms, type PlatformId } from './platforms.js';

/**
 * Real CRM or sandbox is configuration only: a platform with client credentials set talks to the
 * real provider; without them, to the local sandbox emulator (when it runs). Same code either way.
 */
export type CredentialsMode = 'configured' | 'sandbox' | 'missing';

export interface ProviderEndpoints {
  mode: CredentialsMode;
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl?: string;
  apiBaseUrl: string;
}

/** Base URLs of running sandbox emulators, by platform. */
export type SandboxUrls = Partial<Record<PlatformId, string>>;

/** The sandbox's built-in OAuth app for each platform (see src/sandbox/README.md). */
export interface SandboxApp {
  clientId: string;
  clientSecret: string;
}

const envPrefix = { hubspot: 'HUBSPOT', salesforce: 'SALESFORCE', pipedrive: 'PIPEDRIVE', zoho: 'ZOHO' } as const;

/** Where each provider's real OAuth and API paths live under the sandbox's single origin. */
const sandboxPaths: Record<PlatformId, { authorize: string; token: string; revoke?: string }> = {
  hubspot: { authorize: '/oauth/authorize', token: '/oauth/v1/token', revoke: '/oauth/v1/refresh-tokens/{token}' },
  salesforce: { authorize: '/services/oauth2/authorize', token: '/services/oauth2/token', revoke: '/services/oauth2/revoke' },
  pipedrive: { authorize: '/oauth/authorize', token: '/oauth/token', revoke: '/oauth/revoke' },
  zoho: { authorize: '/oauth/v2/auth', token: '/oauth/v2/token', revoke: '/oauth/v2/token/revoke' },
};

export function resolveEndpoints(
  config: Config,
  platform: PlatformId,
  sandbox: { urls: SandboxUrls; apps: Partial<Record<PlatformId, SandboxApp>> },
): ProviderEndpoints {
  const spec = platforms[platform];
  const clientId = config[`${envPrefix[platform]}_CLIENT_ID`];
  const clientSecret = config[`${envPrefix[platform]}_CLIENT_SECRET`];
  if (clientId && clientSecret) {
    return {
      mode: 'configured',
      clientId,
      clientSecret,
      authorizeUrl: spec.oauth.authorizeUrl,
      tokenUrl: spec.oauth.tokenUrl,
      revokeUrl: spec.oauth.revokeUrl,
      apiBaseUrl: spec.apiBaseUrl,
    };
  }
  const base = sandbox.urls[platform];
  const app = sandbox.apps[platform];
  if (!base || !app) {
    return { mode: 'missing', clientId: '', clientSecret: '', authorizeUrl: '', tokenUrl: '', apiBaseUrl: '' };
  }
  const paths = sandboxPaths[platform];
  return {
    mode: 'sandbox',
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    authorizeUrl: base + paths.authorize,
    tokenUrl: base + paths.token,
    revokeUrl: paths.revoke ? base + paths.revoke : undefined,
    apiBaseUrl: base,
  };
}
