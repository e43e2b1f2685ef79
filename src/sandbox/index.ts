/**
 * The sandbox: local emulators of the CRM APIs, each at the root of its own origin. Tests start them
 * on ephemeral ports; `pulse-crm sandbox` runs every registered one on its fixed port (HubSpot 4101;
 * see emulators.ts). See README.md here.
 */
import { EMULATORS, SANDBOX_PROVIDERS, type SandboxProvider } from './emulators.js';
import { originOf } from './start.js';

export { startSandbox, type Sandbox, type StartSandboxOptions } from './start.js';
export { EMULATORS, SANDBOX_PROVIDERS, type SandboxProvider } from './emulators.js';
export type { Emulator } from './core/emulator.js';
export type { SandboxApp } from './core/store.js';

type ProviderMap<T> = { [P in SandboxProvider]: T };
const mapProviders = <T>(fn: (p: SandboxProvider) => T) => Object.fromEntries(SANDBOX_PROVIDERS.map((p) => [p, fn(p)])) as ProviderMap<T>;

/** Each emulator's fixed port (HubSpot 4101; 4102 salesforce, 4103 pipedrive, 4104 zoho reserved). */
export const SANDBOX_PORTS = mapProviders((p) => EMULATORS[p].port);

/** The lowest fixed port; `PULSE_SANDBOX_PORT` moves all of them by the same offset. */
export const SANDBOX_BASE_PORT = Math.min(...Object.values(SANDBOX_PORTS));

/** The built-in OAuth app of each emulator, which always exists (its redirect URIs can be replaced). */
export const SANDBOX_APPS = mapProviders((p) => {
  const { clientId, clientSecret, appId } = EMULATORS[p].app;
  return { clientId, clientSecret, appId };
});

/** The ports emulators listen on when the first one is at `basePort` (default: the fixed ones). */
export function sandboxPorts(basePort = SANDBOX_BASE_PORT): ProviderMap<number> {
  return mapProviders((p) => SANDBOX_PORTS[p] - SANDBOX_BASE_PORT + basePort);
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
