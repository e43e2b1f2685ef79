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
  /** The app's developer credentials, for CRMs whose webhooks belong to the app (app-webhooks.ts). */
  developer?: DeveloperApp;
}

/** An app as its developer account manages it: its id and the developer's API key. */
export interface DeveloperApp {
  appId: string;
  apiKey: string;
}

/** Base URLs of running sandbox emulators, by platform. */
export type SandboxUrls = Partial<Record<PlatformId, string>>;

/** The sandbox's built-in OAuth app for each platform (see src/sandbox/README.md). */
export interface SandboxApp {
  clientId: string;
  clientSecret: string;
  /** Given where the product is to keep the app's webhooks itself (`npm start`, the real-time bench). */
  developer?: DeveloperApp;
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
  // Only some CRMs have app-level settings (config.ts declares theirs): the others read undefined.
  const appId = (config as Record<string, unknown>)[`${envPrefix(platform)}_APP_ID`];
  const apiKey = (config as Record<string, unknown>)[`${envPrefix(platform)}_DEVELOPER_API_KEY`];
  if (clientId && clientSecret) {
    return {
      mode: 'configured',
      clientId,
      clientSecret,
      authorizeUrl: spec.oauth.authorizeUrl,
      tokenUrl: spec.oauth.tokenUrl,
      revokeUrl: spec.oauth.revokeUrl,
      apiBaseUrl: spec.apiBaseUrl,
      ...(typeof appId === 'string' && typeof apiKey === 'string' ? { developer: { appId, apiKey } } : {}),
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
    ...(app.developer ? { developer: app.developer } : {}),
  };
}
