/**
 * `pulse-crm sandbox`: every registered emulator on its fixed port, printing each base URL and its
 * built-in app's credentials, until SIGINT / SIGTERM. With `--data-dir` the emulators keep their
 * accounts, grants, records and history there and find them again at the next start.
 */
import { EMULATORS, SANDBOX_PORTS, SANDBOX_PROVIDERS, startSandbox, type SandboxProvider } from './index.js';
import type { EmulatorContext } from './core/context.js';
import type { Emulator } from './core/emulator.js';

export interface SandboxCommandOptions {
  seed?: number;
  records?: number;
  host?: string;
  /** Base port (see StartSandboxOptions.port); default the fixed ports. */
  port?: number;
  dataDir?: string;
}

function restoredLine(report: { replayed: number; diverged: number; ms: number } | undefined, dataDir: string | undefined): string[] {
  if (!report || !dataDir) return [];
  const diverged = report.diverged ? `, ${report.diverged} answered differently than the first time` : '';
  return [`  data dir       ${dataDir} (${report.replayed} writes restored in ${report.ms} ms${diverged})`];
}

export async function runSandboxCommand(opts: SandboxCommandOptions = {}): Promise<void> {
  const started = performance.now();
  const sandbox = await startSandbox({ ...(opts.port ? { port: opts.port } : { ports: SANDBOX_PORTS }), host: opts.host, seed: opts.seed ?? 1, records: opts.records ?? 10_000, dataDir: opts.dataDir });
  const ready = Math.round(performance.now() - started);
  const blocks = SANDBOX_PROVIDERS.map((p: SandboxProvider) => {
    const emulator: Emulator<EmulatorContext> = EMULATORS[p];
    const url = sandbox.urls[p];
    return [
      `${emulator.name} sandbox  ${url}  (ready in ${ready} ms)`,
      `  client id      ${emulator.app.clientId}`,
      `  client secret  ${emulator.app.clientSecret}`,
      ...(emulator.banner?.(sandbox[p], url) ?? [`  admin API      ${url}/_sandbox`]),
      ...restoredLine(sandbox.restored[p], opts.dataDir),
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
