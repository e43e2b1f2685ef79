/**
 * `pulse-crm sandbox`: every registered emulator on its fixed port, printing each base URL and its
 * built-in app's credentials, until SIGINT / SIGTERM.
 */
import { EMULATORS, SANDBOX_PORTS, SANDBOX_PROVIDERS, startSandbox, type SandboxProvider } from './index.js';
import type { EmulatorContext } from './core/context.js';
import type { Emulator } from './core/emulator.js';

export interface SandboxCommandOptions {
  seed?: number;
  records?: number;
  host?: string;
}

export async function runSandboxCommand(opts: SandboxCommandOptions = {}): Promise<void> {
  const started = performance.now();
  const sandbox = await startSandbox({ ports: SANDBOX_PORTS, host: opts.host, seed: opts.seed ?? 1, records: opts.records ?? 10_000 });
  const ready = Math.round(performance.now() - started);
  const blocks = SANDBOX_PROVIDERS.map((p: SandboxProvider) => {
    const emulator: Emulator<EmulatorContext> = EMULATORS[p];
    const url = sandbox.urls[p];
    return [
      `${emulator.name} sandbox  ${url}  (ready in ${ready} ms)`,
      `  client id      ${emulator.app.clientId}`,
      `  client secret  ${emulator.app.clientSecret}`,
      ...(emulator.banner?.(sandbox[p], url) ?? [`  admin API      ${url}/_sandbox`]),
    ].join('\n');
  });
  process.stdout.write(`${blocks.join('\n\n')}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sandbox.close();
}
