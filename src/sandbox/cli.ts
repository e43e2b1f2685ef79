/**
 * `pulse-crm sandbox`: the emulators on their fixed ports (HubSpot 4101), printing each base URL and
 * the default app's credentials, until SIGINT / SIGTERM.
 */
import { SANDBOX_APPS, SANDBOX_DEVELOPER_API_KEY, SANDBOX_PORTS, startSandbox } from './index.js';

export interface SandboxCommandOptions {
  seed?: number;
  records?: number;
  host?: string;
}

export async function runSandboxCommand(opts: SandboxCommandOptions = {}): Promise<void> {
  const started = performance.now();
  const sandbox = await startSandbox({ port: SANDBOX_PORTS.hubspot, host: opts.host, seed: opts.seed ?? 1, records: opts.records ?? 10_000 });
  const app = SANDBOX_APPS.hubspot;
  const lines = [
    `HubSpot sandbox  ${sandbox.urls.hubspot}  (ready in ${Math.round(performance.now() - started)} ms)`,
    `  consent page   ${sandbox.urls.hubspot}/oauth/authorize`,
    `  client id      ${app.clientId}`,
    `  client secret  ${app.clientSecret}`,
    `  app id         ${app.appId}   developer hapikey ${SANDBOX_DEVELOPER_API_KEY}`,
    `  hub id         ${sandbox.hubspot.store.defaultAccountId}   admin API ${sandbox.urls.hubspot}/_sandbox`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sandbox.close();
}
