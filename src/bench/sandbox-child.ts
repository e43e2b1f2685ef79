import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { RequestCounts } from '../sandbox/core/request-counter.js';

/**
 * Starts one CRM's emulator in a child process and talks to it over its admin API. The bench sees
 * it exactly as the engine does: an origin over real HTTP.
 */
export interface SandboxChild {
  url: string;
  pid: number;
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** Requests the API has answered since the last reset, by kind. */
  requests(): Promise<RequestCounts>;
  resetRequests(): Promise<void>;
  close(): Promise<void>;
}

const entry = fileURLToPath(new URL('./sandbox-process.ts', import.meta.url));

/** `publicUrl`: where Pulse listens, to wire the emulator's change notifications to it as `npm start` does. */
export async function startSandboxChild(provider: string, records: number, seed: number, redirectUri: string, publicUrl?: string): Promise<SandboxChild> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', entry, provider, String(records), String(seed), redirectUri, ...(publicUrl ? [publicUrl] : [])], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const ready = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => { try { resolve(JSON.parse(line)); } catch { reject(new Error(`sandbox said: ${line}`)); } });
    child.once('exit', (code) => reject(new Error(`the sandbox process exited (${code}) before it was ready`)));
  });
  const admin = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${ready.url}${path}`, {
      method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`sandbox ${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    ...ready,
    admin,
    requests: () => admin('GET', '/_sandbox/requests'),
    resetRequests: () => admin('DELETE', '/_sandbox/requests'),
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin!.end();
      child.kill('SIGTERM');
      await exited;
    },
  };
}
