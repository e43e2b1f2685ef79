import { join } from 'node:path';
import type { Config } from '../config.js';
import type { SandboxApp, SandboxUrls } from '../crm/endpoints.js';
import type { PlatformId } from '../crm/platforms.js';
import type { Logger } from '../logger.js';
import type { EmulatorContext } from '../sandbox/core/context.js';
import type { Emulator } from '../sandbox/core/emulator.js';

/**
 * `npm start` without CRM credentials: run the sandbox emulator of every registered CRM whose
 * credentials are not configured, in this process, on their fixed ports (moved by
 * PULSE_SANDBOX_PORT; 0 = free ports), register our callback URL with their built-in OAuth apps so
 * the consent flow works, hand us the apps' developer credentials where webhooks belong to the app
 * (we keep those in place, as with a real CRM), and let each emulator wire itself to us (its
 * `onLocalStart`). The emulators
 * keep their state under PULSE_DATA_DIR/sandbox, so a restart finds every connection and record.
 */
export async function startLocalSandbox(config: Config, logger: Logger): Promise<{
  urls: SandboxUrls; apps: Partial<Record<PlatformId, SandboxApp>>; close(): Promise<void>;
} | null> {
  if (config.PULSE_SANDBOX === 'off') return null;
  const { startSandbox, EMULATORS, SANDBOX_PROVIDERS, SANDBOX_APPS } = await import('../sandbox/index.js');
  // A platform with credentials uses the real CRM; the others their emulator.
  const providers = SANDBOX_PROVIDERS.filter((id) => !config[`${id.toUpperCase() as Uppercase<typeof id>}_CLIENT_ID`]);
  if (providers.length === 0) return null;
  const sandbox = await startSandbox({
    providers,
    port: config.PULSE_SANDBOX_PORT,
    host: config.PULSE_SANDBOX_HOST,
    seed: 1,
    records: config.PULSE_SANDBOX_RECORDS,
    redirectUris: [`${config.publicUrl}/crm/oauth/callback`],
    dataDir: join(config.PULSE_DATA_DIR, 'sandbox'),
  });
  for (const id of providers) {
    // Each entry's context type is its own; indexed by a union id, TypeScript would want them all at once.
    const emulator = EMULATORS[id] as Emulator<EmulatorContext>;
    await emulator.onLocalStart?.(sandbox[id] as EmulatorContext, { url: sandbox.urls[id], publicUrl: config.publicUrl }).catch((error: unknown) => {
      logger.warn({ provider: id, err: error }, 'could not wire the sandbox emulator to this server');
    });
  }
  const apps: Partial<Record<PlatformId, SandboxApp>> = Object.fromEntries(providers.map((id) => {
    const developer = SANDBOX_APPS[id].developer;
    return [id, { ...sandbox.apps[id], ...(developer ? { developer } : {}) }];
  }));
  logger.info({ urls: sandbox.urls, restored: sandbox.restored }, 'CRM sandbox running (no client credentials set for these CRMs)');
  return { urls: sandbox.urls, apps, close: () => sandbox.close() };
}
