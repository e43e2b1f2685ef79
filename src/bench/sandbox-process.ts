/**
 * The bench's sandbox: one CRM's emulator in a process of its own, so its CPU and memory are not the
 * syncing process's. Prints one JSON line `{ "url": … }` when ready; runs until its stdin closes (the
 * bench exits) or a signal.
 * Usage: node --import tsx src/bench/sandbox-process.ts <provider> <records> <seed> <redirectUri> [publicUrl]
 * With a publicUrl the emulator wires its change notifications to it, as `npm start` does (onLocalStart).
 */
import { EMULATORS, SANDBOX_PROVIDERS, startSandbox, type SandboxProvider } from '../sandbox/index.js';
import type { EmulatorContext } from '../sandbox/core/context.js';

const [provider = '', records = '1000', seed = '1', redirectUri = 'http://127.0.0.1:3000/crm/oauth/callback', publicUrl] = process.argv.slice(2);
if (!(SANDBOX_PROVIDERS as readonly string[]).includes(provider)) throw new Error(`no emulator named ${provider}`);
const sandbox = await startSandbox({
  providers: [provider as SandboxProvider],
  port: 0,
  seed: Number(seed),
  records: Number(records),
  limits: 'off',
  redirectUris: [redirectUri],
});
const url = sandbox.urls[provider as SandboxProvider];
if (publicUrl) {
  const emulator = EMULATORS[provider as SandboxProvider] as { onLocalStart?(ctx: EmulatorContext, wiring: { url: string; publicUrl: string }): Promise<void> };
  await emulator.onLocalStart?.(sandbox[provider as SandboxProvider] as EmulatorContext, { url, publicUrl });
}
process.stdout.write(`${JSON.stringify({ url, pid: process.pid })}\n`);

const stop = () => void sandbox.close().finally(() => process.exit(0));
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
