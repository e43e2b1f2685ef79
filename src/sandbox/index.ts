/**
 * The sandbox: local emulators of the CRM APIs, each at the root of its own origin. Tests start them
 * on ephemeral ports; `pulse-crm sandbox` runs every registered one on its fixed port (HubSpot 4101;
 * see emulators.ts). See README.md here.
 */
export { startSandbox, type Sandbox, type StartSandboxOptions } from './start.js';
export { EMULATORS, SANDBOX_PROVIDERS, type SandboxProvider } from './emulators.js';
export type { Emulator } from './core/emulator.js';
export type { SandboxApp } from './core/store.js';

export { originOf, SANDBOX_APPS, SANDBOX_BASE_PORT, SANDBOX_PORTS, sandboxPorts, sandboxWiring } from './wiring.js';
