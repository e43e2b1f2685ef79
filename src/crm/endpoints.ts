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

/** `HUBSPOT_CLIENT_ID`…: each platform's credentials are named after its registry id. */
const envPrefix = (platform: PlatformId) => platform.toUpperCase() as Uppercase<PlatformId>;

/** An emulator serves the real paths at the root of its own origin: the sandbox URL keeps the path. */
const onSandbox = (base: string, real: string | undefined) => (real ? base + real.slice(new URL(real).origin.length) : undefined);

export function resolveEndpoints(
  config: Config,
  platform: PlatformId,
  sandbox: { urls: SandboxUrls; apps: Partial<Record<PlatformId, SandboxApp>> },
): ProviderEndpoints {
  const spec = platforms[platform];
  const clientId = config[`${envPrefix(platform)}_CLIENT_ID`];
  const clientSecret = config[`${envPrefix(platform)}_CLIENT_SECRET`];
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
  return {
    mode: 'sandbox',
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    authorizeUrl: onSandbox(base, spec.oauth.authorizeUrl)!,
    tokenUrl: onSandbox(base, spec.oauth.tokenUrl)!,
    revokeUrl: onSandbox(base, spec.oauth.revokeUrl),
    apiBaseUrl: base,
  };
}
