import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../config.js';
import { beginOAuth } from '../crm/oauth-begin.js';
import { completeOAuth, startOAuth } from '../crm/oauth-flow.js';
import { createLogger } from '../logger.js';
import { createContext } from '../runtime.js';
import { answerConsentForm } from '../sandbox/core/consent-client.js';
import { SANDBOX_APPS, SANDBOX_BASE_PORT, SANDBOX_PORTS, type SandboxProvider } from '../sandbox/index.js';
import { optionalScopes, type PlatformId } from '../crm/platforms.js';
import { userIdFor } from '../server/auth.js';
import type { AppContext } from '../app-context.js';
import { withUser } from '../db/tenant.js';
import { startSyncServices } from '../sync/services.js';
import { fileURLToPath } from 'node:url';
import { cpuMeter } from './cpu.js';
import { processTree, procKb } from './process-tree.js';

/**
 * One bench scenario's Pulse: a fresh database (a new database on the server at DATABASE_URL, or
 * in-memory PGlite), the real context, an integration of the benched CRM connected through the real
 * OAuth flow against the bench's emulator, and one sync worker. On a server the worker is a real
 * `pulse-crm worker` process (its memory is what is measured, as deployed at scale); embedded PGlite
 * is one process, so there the worker runs in this process, as in `pulse-crm start`.
 */
export type BenchDatabase = { kind: 'postgres'; url: string } | { kind: 'pglite' };

export const PUBLIC_URL = 'http://127.0.0.1:39999';

export interface BenchPulse {
  ctx: AppContext;
  userId: string;
  integrationId: string;
  /** Where the sync runs: 'worker process' or 'bench process'. */
  worker: string;
  /** Starts a new peak-memory measurement of the syncing process (Linux: VmHWM reset). */
  resetPeak(): boolean;
  /** Peak resident memory of the syncing process since resetPeak, in bytes (null: unknown). */
  peakRss(): number | null;
  /** Starts measuring CPU time of the syncing process (with its supervisor) and of PostgreSQL (cpu.ts). */
  startCpu(): ReturnType<typeof cpuMeter>;
  /** Rejects if the worker process dies before close (out of memory, a crash), with its last output: a sync it held would never finish. */
  workerDied: Promise<never>;
  close(): Promise<void>;
}

const cliPath = fileURLToPath(new URL('../../bin/pulse-crm.js', import.meta.url));

export function resetPeakOf(pid: number | 'self'): boolean {
  try { for (const each of processTree(pid)) writeFileSync(`/proc/${each}/clear_refs`, '5'); return true; } catch { return false; }
}
export function peakOf(pid: number | 'self'): number | null {
  try {
    // A worker's cost is its supervisor's and its capped child's: the sum of their peaks.
    return processTree(pid).reduce<number>((sum, each) => sum + procKb(each, 'status', 'VmHWM'), 0) || null;
  } catch { return null; }
}

export interface WorkerProcess {
  pid: number;
  /** The runs it logged claiming, with the log line's time (ms since the epoch), oldest first. */
  claims(): { logId: string; time: number }[];
  /** Whether the process is still running. */
  alive(): boolean;
  /** Rejects when the process exits before stop(), with its last output. */
  died: Promise<never>;
  stop(): Promise<void>;
  /** SIGKILL, as a crash: the supervisor takes its capped child with it. Resolves once it has exited. */
  kill(): Promise<void>;
}

/** `pulse-crm worker` against the same database, key file and sandbox; resolves once it is running. */
export async function startWorkerProcess(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  // As deployed: no NODE_OPTIONS, the worker caps its own heap (bin/heap-cap.js).
  const child = spawn(process.execPath, [cliPath, 'worker'], { env: { ...env, LOG_LEVEL: process.env.PULSE_BENCH_WORKER_LOG_LEVEL ?? 'info', NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  // PULSE_BENCH_WORKER_LOG=<file>: the worker's whole log, for a run that goes wrong.
  if (process.env.PULSE_BENCH_WORKER_LOG) {
    const log = createWriteStream(process.env.PULSE_BENCH_WORKER_LOG, { flags: 'a' });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
  }
  let output = '';
  const claims: { logId: string; time: number }[] = [];
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const died = new Promise<never>((_, reject) => child.once('exit', (code, signal) => {
    if (!stopping) reject(new Error(`the worker process exited (${signal ?? code}):\n${output.slice(-3000)}`));
  }));
  died.catch(() => {}); // observed by whoever waits on the worker: start-up here, each sync in measureSync
  const running = new Promise<void>((resolve) => {
    const onData = (chunk: Buffer) => {
      output = (output + chunk).slice(-20_000);
      if (output.includes('sync worker is running')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    // Claims kept apart from the output's tail, which a long run's log lines would push them out of.
    let pending = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (!line.includes('"msg":"sync run claimed"')) continue;
        try { const { logId, time } = JSON.parse(line); claims.push({ logId, time }); } catch { /* not a JSON log line */ }
      }
    });
  });
  await Promise.race([running, died]);
  return {
    pid: child.pid!,
    claims: () => claims,
    alive: () => child.exitCode === null && child.signalCode === null,
    died,
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

export async function freshServerDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `pulse_bench_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try { await client.query(sql); } finally { await client.end(); }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * `sub`: whose integration it is (the realtime scenario reads it back through the API, as the local
 * demo user); `pushes`: change notifications wanted, so the person grants every optional permission
 * (they can be one) and Pulse gets the app's developer credentials (where webhooks belong to the app);
 * `env`: settings for this Pulse, the worker process's included.
 */
export async function startPulse(database: BenchDatabase, platform: PlatformId, sandboxUrl: string, options: { workerProcess?: boolean; sub?: string; pushes?: boolean; env?: Record<string, string> } = {}): Promise<BenchPulse> {
  const server = database.kind === 'postgres' ? await freshServerDatabase(database.url) : null;
  const dataDir = mkdtempSync(join(tmpdir(), 'pulse-bench-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PULSE_DATA_DIR: dataDir, PULSE_SANDBOX: 'off', PUBLIC_URL, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...options.env };
  delete env.DATABASE_URL;
  if (server) env.DATABASE_URL = server.url;
  const config = loadConfig(env);
  const provider = platform as SandboxProvider;
  const app = SANDBOX_APPS[provider];
  const ctx = await createContext({
    config, logger: createLogger(config.LOG_LEVEL), ephemeral: true,
    sandbox: { urls: { [platform]: sandboxUrl }, apps: { [platform]: { clientId: app.clientId, clientSecret: app.clientSecret, ...(options.pushes && app.developer ? { developer: app.developer } : {}) } } },
  });
  // A separate worker needs a server; PGlite is one process.
  const separate = server !== null && options.workerProcess !== false;
  const services = await startSyncServices(ctx, { workers: separate ? 0 : 1, scheduler: false });
  const sub = options.sub ?? 'bench';
  const userId = userIdFor(sub);
  await withUser(ctx.db.pool, userId, (tx) => tx.query('INSERT INTO users (id, external_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [userId, sub]));
  // The browser's part (begin, with the flow's cookie) played in process.
  const appOrigin = new URL(ctx.config.publicUrl).origin;
  const scopes = options.pushes ? optionalScopes(platform) : undefined;
  const { ticket } = await startOAuth(ctx, userId, { platform, appOrigin, scopes });
  const begun = await beginOAuth(ctx, ticket, appOrigin, 'popup');
  if (!begun.ok) throw new Error(`connecting the ${platform} emulator failed: ${begun.message}`);
  const outcome = await completeOAuth(ctx, await answerConsentForm(begun.authorizeUrl), begun.cookie.value);
  if (!outcome.ok) throw new Error(`connecting the ${platform} emulator failed: ${outcome.message}`);
  const sandbox = new URL(sandboxUrl);
  // Every emulator's port is offset from one base: the base that puts this one where it really is.
  const basePort = Number(sandbox.port) - (SANDBOX_PORTS[provider] - SANDBOX_BASE_PORT);
  const worker = separate ? await startWorkerProcess({
    ...env, PULSE_SANDBOX: 'auto', PULSE_SANDBOX_HOST: sandbox.hostname, PULSE_SANDBOX_PORT: String(basePort),
    PULSE_WORKER_CONCURRENCY: '1', PULSE_SCHEDULER_INTERVAL_MS: '3600000',
  }) : null;
  const pid = worker?.pid ?? 'self';
  return {
    ctx, userId, integrationId: outcome.integration.id,
    worker: worker ? 'worker process with its supervisor, no NODE_OPTIONS' : 'bench process',
    resetPeak: () => resetPeakOf(pid),
    startCpu: () => cpuMeter(pid),
    peakRss: () => peakOf(pid),
    workerDied: worker?.died ?? new Promise<never>(() => {}),
    async close() {
      await worker?.stop();
      await services.stop();
      await ctx.close();
      await server?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
