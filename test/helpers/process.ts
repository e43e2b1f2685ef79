import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const cliPath = `${repoRoot}bin/pulse-crm.js`;

const isFree = (port: number) => new Promise<boolean>((resolve) => {
  const server = createServer().once('error', () => resolve(false));
  server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
});

/**
 * A base port whose next `count` ports are all free: the sandbox CRMs listen at fixed offsets from
 * one base, and a restart must find the same ones (a connection stores its CRM's URL).
 */
export async function freeBasePort(count: number): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    if ((await Promise.all(Array.from({ length: count }, (_, i) => isFree(base + i)))).every(Boolean)) return base;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface RunningCli {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs `pulse-crm <args>` as a real child process, collecting its output. */
export function runCli(args: string[], env: Record<string, string>, cwd = repoRoot): RunningCli {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function waitForHealthy(baseUrl: string, cli?: RunningCli, timeoutMs = 60_000): Promise<void> {
  await waitFor(async () => {
    if (cli && cli.child.exitCode !== null) throw new Error(`pulse-crm exited early:\n${cli.output()}`);
    const response = await fetch(`${baseUrl}/api/health`);
    return response.ok ? true : undefined;
  }, `${baseUrl} to be healthy`, timeoutMs).catch((error) => {
    throw new Error(`${(error as Error).message}\n${cli?.output() ?? ''}`);
  });
}

export async function stop(cli: RunningCli, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (cli.child.exitCode === null) cli.child.kill(signal);
  return cli.exited;
}
