import type { PlatformId } from '../crm/platforms.js';
import { manualWebhookStep } from '../crm/webhook-subscriptions.js';
import { integrationsRepository } from '../db/integrations-repository.js';
import { withUser } from '../db/tenant.js';
import type { Emulator } from '../sandbox/core/emulator.js';
import type { EmulatorContext } from '../sandbox/core/context.js';
import { EMULATORS, type SandboxProvider } from '../sandbox/index.js';
import type { BenchPulse } from './context.js';
import type { SandboxChild } from './sandbox-child.js';

/**
 * For CRMs no app can subscribe to changes (`subscriptions.manual`): what the person does in the
 * CRM's set-up pages with the address Pulse shows them, done through the emulator's admin call that
 * stands for it. Nothing for other CRMs (Pulse subscribes at connect, or the emulator wires itself).
 */
export async function setUpManualWebhooks(platform: PlatformId, pulse: BenchPulse, sandbox: SandboxChild): Promise<void> {
  const setup = (EMULATORS[platform as SandboxProvider] as Emulator<EmulatorContext> | undefined)?.manualWebhookSetup;
  if (!setup) return;
  const integration = await withUser(pulse.ctx.db.pool, pulse.userId, (tx) => integrationsRepository(tx, pulse.ctx.keys).find(pulse.integrationId));
  const step = integration && await manualWebhookStep(pulse.ctx, integration);
  if (!step?.url) throw new Error(`Pulse gave no address to set up in the ${platform} emulator: ${step?.reason ?? 'no set-up step'}`);
  await sandbox.admin(setup.method, setup.path, setup.body(step.url));
}
