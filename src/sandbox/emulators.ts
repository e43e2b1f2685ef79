/**
 * The sandbox registry: one entry per CRM emulator (`src/sandbox/<id>/`). Adding an emulator is one
 * folder and one line here; `SandboxProvider`, the CLI, `npm start` and the runtime's wiring all
 * follow from this table. Fixed ports (each entry's `port`): 4101 hubspot, 4102 salesforce,
 * 4103 pipedrive, 4104 zoho.
 */
import type { EmulatorContext } from './core/context.js';
import type { Emulator } from './core/emulator.js';
import { hubspotEmulator } from './hubspot/emulator.js';
import { pipedriveEmulator } from './pipedrive/emulator.js';
import { salesforceEmulator } from './salesforce/emulator.js';
import { zohoEmulator } from './zoho/emulator.js';

export const EMULATORS = {
  hubspot: hubspotEmulator,
  salesforce: salesforceEmulator,
  pipedrive: pipedriveEmulator,
  zoho: zohoEmulator,
} satisfies Record<string, Emulator<EmulatorContext>>;

export type SandboxProvider = keyof typeof EMULATORS;

/** The context type of one provider's emulator (what `sandbox.<provider>` holds). */
export type EmulatorContextOf<P extends SandboxProvider> = (typeof EMULATORS)[P] extends Emulator<infer C> ? C : never;

export const SANDBOX_PROVIDERS = Object.keys(EMULATORS) as SandboxProvider[];
