/**
 * Where each emulator listens and which built-in app it has, without loading any emulator's code:
 * what a process that only talks to a separately started sandbox (a worker, a server) needs to reach
 * it. The emulators take their port and app from this table (their entries in emulators.ts), so the
 * two cannot disagree; loading the emulators themselves costs a worker about 50 MB it never uses.
 */
import type { SandboxApp } from './core/store.js';
import { HUBSPOT_APP } from './hubspot/app.js';
import { PIPEDRIVE_APP } from './pipedrive/app.js';
import { SALESFORCE_APP } from './salesforce/app.js';
import { ZOHO_APP } from './zoho/app.js';

export const SANDBOX_IDENTITIES = {
  hubspot: { port: 4101, app: HUBSPOT_APP },
  salesforce: { port: 4102, app: SALESFORCE_APP },
  pipedrive: { port: 4103, app: PIPEDRIVE_APP },
  zoho: { port: 4104, app: ZOHO_APP },
} satisfies Record<string, { port: number; app: SandboxApp }>;

type Provider = keyof typeof SANDBOX_IDENTITIES;
type ProviderMap<T> = { [P in Provider]: T };
const providers = Object.keys(SANDBOX_IDENTITIES) as Provider[];
const mapProviders = <T>(fn: (p: Provider) => T) => Object.fromEntries(providers.map((p) => [p, fn(p)])) as ProviderMap<T>;

/** Each emulator's fixed port (HubSpot 4101; 4102 salesforce, 4103 pipedrive, 4104 zoho). */
export const SANDBOX_PORTS = mapProviders((p) => SANDBOX_IDENTITIES[p].port);

/** The lowest fixed port; `PULSE_SANDBOX_PORT` moves all of them by the same offset. */
export const SANDBOX_BASE_PORT = Math.min(...Object.values(SANDBOX_PORTS));

/**
 * The built-in OAuth app of each emulator, which always exists (its redirect URIs can be replaced),
 * with its developer credentials where the CRM's webhooks belong to the app.
 */
export const SANDBOX_APPS = mapProviders((p) => {
  const { clientId, clientSecret, appId, developerApiKey } = SANDBOX_IDENTITIES[p].app as SandboxApp;
  return { clientId, clientSecret, appId, ...(developerApiKey ? { developer: { appId: String(appId), apiKey: developerApiKey } } : {}) };
});

/** The ports emulators listen on when the first one is at `basePort` (default: the fixed ones). */
export function sandboxPorts(basePort = SANDBOX_BASE_PORT): ProviderMap<number> {
  return mapProviders((p) => SANDBOX_PORTS[p] - SANDBOX_BASE_PORT + basePort);
}

export function originOf(host: string, port: number): string {
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return `http://${shown}:${port}`;
}

/**
 * Where a separately started sandbox (`pulse-crm sandbox`) is, and its apps' credentials, for every
 * registered emulator: what the runtime needs to use them without starting them.
 */
export function sandboxWiring(host: string, basePort = SANDBOX_BASE_PORT): { urls: ProviderMap<string>; apps: ProviderMap<{ clientId: string; clientSecret: string }> } {
  const ports = sandboxPorts(basePort);
  return {
    urls: mapProviders((p) => originOf(host, ports[p])),
    apps: mapProviders((p) => ({ clientId: SANDBOX_APPS[p].clientId, clientSecret: SANDBOX_APPS[p].clientSecret })),
  };
}
