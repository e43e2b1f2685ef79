/**
 * The bench's sandbox: one CRM's emulator in a process of its own, so its CPU and memory are not the
 * syncing process's. Prints one JSON line `{ "url": … }` when ready; runs until its stdin closes (the
 * bench exits) or a signal.
 * Usage: node --import tsx src/bench/sandbox-process.ts <provider> <records> <seed> <redirectUri>
 */
import { SANDBOX_PROVIDERS, startSandbox, type SandboxProvider } from '../sandbox/index.js';

const [provider = '', records = '1000', seed = '1', redirectUri = 'http://127.0.0.1:3000/crm/oauth/callback'] = process.argv.slice(2);
if (!(SANDBOX_PROVIDERS as readonly string[]).includes(provider)) throw new Error(`no emulator named ${provider}`);
const sandbox = await startSandbox({
  providers: [provider as SandboxProvider],
  port: 0,
  seed: Number(seed),
  records: Number(records),
  limits: 'off',
  redirectUris: [redirectUri],
});
process.stdout.write(`${JSON.stringify({ url: sandbox.urls[provider as SandboxProvider], pid: process.pid })}\n`);

const stop = () => void sandbox.close().finally(() => process.exit(0));
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
