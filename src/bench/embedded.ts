import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlatformId } from '../crm/platforms.js';
import type { MemoryFigures } from '../memory-log.js';
import { answerConsentForm } from '../sandbox/core/consent-client.js';
import { peakOf, resetPeakOf } from './context.js';
import { processTree, procKb } from './process-tree.js';
import { atMost, seconds, type FleetResult } from './fleet-result.js';

/**
 * `pulse-crm bench --scenario embedded`: the memory of `npm start` as a person runs it — the real
 * `pulse-crm start` (its supervisor and the capped child), embedded PGlite and the in-process sandbox
 * in a fresh data directory — through a full sync of `records` records connected by the real HTTP
 * OAuth flow, then `clients` concurrent API clients paging the synced contacts for `clientSeconds`.
 * RSS is the whole process tree's, sampled from /proc; where it goes comes from the product's own
 * memory log (PULSE_MEMORY_LOG_MS: V8 heap, external buffers, PGlite's WASM memory).
 */
export interface EmbeddedBenchOptions {
  provider: PlatformId;
  records: number;
  clients: number;
  clientSeconds: number;
  /** Settings for the started product besides the bench's own (e.g. to compare a bound with its absence). */
  env?: Record<string, string>;
  onPhase?: (phase: string, total: number) => void;
  onProgress?: (value: number) => void;
}

export const EMBEDDED_RSS_LIMIT_MB = 450;
const SETUP = 'Everything in `pulse-crm start` as `npm start` runs it (its supervisor and the capped child): the API server, the sync worker, embedded PGlite and the CRM emulators; the bench process only drives it over HTTP. RSS is the sum over the supervisor and the child.';
const cliPath = fileURLToPath(new URL('../../bin/pulse-crm.js', import.meta.url));
const SAMPLE_MS = 200;
const MB = 2 ** 20;

/** Current RSS of a process and its descendants (the supervisor and its capped child), bytes. */
function rssOf(pid: number): number | null {
  return processTree(pid).reduce<number>((sum, each) => sum + procKb(each, 'status', 'VmRSS'), 0) || null;
}

/** Proportional set size of the tree, bytes: pages shared between the two (the node binary) counted once. */
function pssOf(pid: number): number {
  return processTree(pid).reduce<number>((sum, each) => sum + procKb(each, 'smaps_rollup', 'Pss'), 0);
}

/**
 * One phase's memory: the tree's RSS (sampled and kernel high-water mark), at the phase's end the
 * supervisor's own RSS and the tree's PSS, and the product's own figures from its memory log.
 */
interface PhaseMemory { peakRssMb: number; lastRssMb: number; supervisorRssMb: number; lastPssMb: number; maxHeapUsedMb: number; maxHeapTotalMb: number; maxExternalMb: number; maxWasmMb: number; samples: number }

class Probe {
  private logged: MemoryFigures[] = [];
  private rss: number[] = [];
  private timer?: NodeJS.Timeout;
  constructor(private readonly pid: number) {}
  /** A memory line from the product's log. */
  onLog(figures: MemoryFigures) { this.logged.push(figures); }
  begin() {
    resetPeakOf(this.pid);
    this.logged = [];
    this.rss = [];
    this.timer = setInterval(() => { const now = rssOf(this.pid); if (now) this.rss.push(now); }, SAMPLE_MS);
  }
  end(): PhaseMemory {
    clearInterval(this.timer);
    const now = rssOf(this.pid) ?? 0;
    this.rss.push(now);
    const mb = (bytes: number) => Math.round(bytes / MB);
    const max = (pick: (figures: MemoryFigures) => number | undefined) => Math.round(Math.max(0, ...this.logged.map((f) => pick(f) ?? 0)));
    // The kernel's high-water mark sees spikes between samples; summed over the tree it can only overstate.
    const peak = Math.max(peakOf(this.pid) ?? 0, ...this.rss);
    return {
      peakRssMb: mb(peak), lastRssMb: mb(now), supervisorRssMb: mb(procKb(this.pid, 'status', 'VmRSS')), lastPssMb: mb(pssOf(this.pid)), maxHeapUsedMb: max((f) => f.heapUsedMb), maxHeapTotalMb: max((f) => f.heapTotalMb),
      maxExternalMb: max((f) => f.externalMb), maxWasmMb: max((f) => f.wasmMb), samples: this.logged.length,
    };
  }
}

interface Started { child: ChildProcess; baseUrl: string; probe: Probe; output(): string; stop(): Promise<void> }

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** `pulse-crm start` as `npm start` runs it (no NODE_OPTIONS: it caps its own heap), in a fresh data directory. */
async function startProduct(dataDir: string, options: EmbeddedBenchOptions): Promise<Started> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env, NODE_OPTIONS: '', PULSE_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: baseUrl,
    PULSE_SANDBOX: 'auto', PULSE_SANDBOX_PORT: '0', PULSE_SANDBOX_RECORDS: String(options.records), PULSE_MEMORY_LOG_MS: '1000', LOG_LEVEL: 'info',
    ...options.env,
  };
  // The embedded product as a person starts it: no server database, the local demo user, every CRM on its emulator.
  for (const key of Object.keys(env)) {
    if (key === 'DATABASE_URL' || key.startsWith('PULSE_AUTH_') || /_CLIENT_(ID|SECRET)$/.test(key)) delete env[key];
  }
  const child = spawn(process.execPath, [cliPath, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const probe = new Probe(child.pid!);
  let output = '';
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output = (output + chunk).slice(-20_000);
    const lines = (pending + chunk).split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      if (!line.includes('"msg":"memory"')) continue;
      try { probe.onLog(JSON.parse(line).memory); } catch { /* not a JSON line */ }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => { output = (output + chunk).slice(-20_000); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`pulse-crm start exited (${child.signalCode ?? child.exitCode}):\n${output.slice(-3000)}`);
    if (await fetch(`${baseUrl}/api/health`).then((r) => r.ok, () => false)) break;
    if (i > 1200) throw new Error(`pulse-crm start did not become healthy in 4 minutes:\n${output.slice(-3000)}`);
    await sleep(200);
  }
  return {
    child, baseUrl, probe, output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function api<T>(baseUrl: string, path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/** The browser's part of connecting, over HTTP: start, begin (with the flow's cookie), the emulator's consent form, the callback. */
async function connect(baseUrl: string, platform: PlatformId): Promise<string> {
  const json = { 'content-type': 'application/json', origin: baseUrl };
  const { ticket } = await api<{ ticket: string }>(baseUrl, '/api/integrations/oauth/start', { method: 'POST', headers: json, body: JSON.stringify({ platform }) });
  const begun = await fetch(`${baseUrl}/crm/oauth/begin`, { method: 'POST', headers: json, body: JSON.stringify({ ticket, origin: baseUrl }) });
  if (!begun.ok) throw new Error(`begin answered ${begun.status}: ${await begun.text()}`);
  const cookie = begun.headers.getSetCookie().map((header) => header.split(';')[0]).join('; ');
  const { authorizeUrl } = (await begun.json()) as { authorizeUrl: string };
  const callback = await answerConsentForm(authorizeUrl);
  const finished = await fetch(`${baseUrl}${callback.pathname}${callback.search}`, { headers: { cookie }, redirect: 'manual' });
  const page = await finished.text();
  if (finished.status >= 400) throw new Error(`the callback answered ${finished.status}: ${page.slice(0, 500)}`);
  const { integrations } = await api<{ integrations: { id: string; platform: string }[] }>(baseUrl, '/api/integrations');
  const integration = integrations.find((each) => each.platform === platform);
  if (!integration) throw new Error(`no ${platform} integration after the callback: ${page.slice(0, 500)}`);
  return integration.id;
}

interface SyncLog { syncType: string; status: string; recordsSynced: number; durationMs: number | null }

/** Waits for the full sync the callback started; reports progress from its log. */
async function awaitFullSync(baseUrl: string, integrationId: string, onProgress?: (value: number) => void): Promise<SyncLog> {
  for (;;) {
    const { items } = await api<{ items: SyncLog[] }>(baseUrl, `/api/integrations/${integrationId}/sync-logs?limit=5`);
    const full = items.find((log) => log.syncType === 'full');
    if (full) onProgress?.(full.recordsSynced);
    if (full && full.status !== 'running') return full;
    await sleep(500);
  }
}

/** `clients` closed-loop clients, each paging the contacts (following the cursor, from the start again at the end) until the time is up. */
async function loadApi(baseUrl: string, clients: number, forMs: number, pageSize: number) {
  const latencies: number[] = [];
  let failures = 0;
  const until = performance.now() + forMs;
  await Promise.all(Array.from({ length: clients }, async () => {
    let cursor: string | null = null;
    while (performance.now() < until) {
      const sent = performance.now();
      try {
        const response: Response = await fetch(`${baseUrl}/api/contacts?limit=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        const body = (await response.json()) as { nextCursor?: string | null };
        if (!response.ok) failures++;
        cursor = response.ok ? body.nextCursor ?? null : null;
      } catch {
        failures++;
        cursor = null;
      }
      latencies.push(performance.now() - sent);
    }
  }));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return { requests: latencies.length, failures, p50: at(0.5), p99: at(0.99), rps: Math.round(latencies.length / (forMs / 1000)) };
}

export async function runEmbeddedBench(options: EmbeddedBenchOptions): Promise<FleetResult> {
  const loadAtStart = loadavg()[0]!;
  const dataDir = mkdtempSync(join(tmpdir(), 'pulse-bench-embedded-'));
  let product: Started | undefined;
  try {
    options.onPhase?.('starting pulse-crm start (PGlite, sandbox)', 1);
    const started = performance.now();
    product = await startProduct(dataDir, options);
    const readyMs = performance.now() - started;
    const { probe, baseUrl } = product;
    // Idle: what a person's `npm start` holds before they connect anything (the emulators' seeded data included).
    probe.begin();
    await sleep(3000);
    const idle = probe.end();

    options.onPhase?.(`full sync of ${options.records.toLocaleString('en')} records`, options.records);
    probe.begin();
    const integrationId = await connect(baseUrl, options.provider);
    const log = await awaitFullSync(baseUrl, integrationId, options.onProgress);
    const sync = probe.end();

    // After the sync, settled: what stays resident once the work is done.
    probe.begin();
    await sleep(5000);
    const after = probe.end();

    const counts = await api<Record<string, number>>(baseUrl, `/api/record-counts?integrationId=${integrationId}`);
    options.onPhase?.(`${options.clients} API clients for ${options.clientSeconds} s`, 1);
    probe.begin();
    const load = await loadApi(baseUrl, options.clients, options.clientSeconds * 1000, 100);
    const clients = probe.end();

    const afterClients = rssOf(product.child.pid!) ?? 0;
    await product.stop();
    const stored = ['contacts', 'companies', 'deals'].reduce((sum, object) => sum + (counts[object] ?? 0), 0);
    const differences = [
      ...(log.status === 'success' ? [] : [`the full sync ended ${log.status}`]),
      ...(stored === options.records ? [] : [`${stored} records stored, ${options.records} in the emulator (${JSON.stringify(counts)})`]),
      ...(load.failures === 0 ? [] : [`${load.failures} of ${load.requests} API requests failed`]),
    ];
    const mb = (value: number) => `${Math.round(value)} MB`;
    const r = options.records.toLocaleString('en');
    const targets = [
      atMost(`RSS after a ${r}-record sync (settled)`, after.peakRssMb, EMBEDDED_RSS_LIMIT_MB, mb, 'see the notes: where the memory is'),
      atMost(`peak RSS under ${options.clients} concurrent API clients`, clients.peakRssMb, EMBEDDED_RSS_LIMIT_MB, mb, 'see the notes: where the memory is'),
      atMost(`peak RSS during the ${r}-record sync`, sync.peakRssMb, EMBEDDED_RSS_LIMIT_MB, mb, 'see the notes: where the memory is'),
    ];
    const row = (label: string, phase: PhaseMemory) => ({
      label,
      value: `RSS peak ${phase.peakRssMb} MB, at the end ${phase.lastRssMb} MB (supervisor ${phase.supervisorRssMb} MB; PSS ${phase.lastPssMb} MB); V8 heap used ≤ ${phase.maxHeapUsedMb} MB of ≤ ${phase.maxHeapTotalMb} MB; external (WASM included) ≤ ${phase.maxExternalMb} MB; PGlite WASM ≤ ${phase.maxWasmMb} MB`,
    });
    return {
      scenario: 'embedded',
      provider: options.provider,
      name: `${options.provider}-embedded-${options.records}`,
      title: `\`pulse-crm start\` on PGlite: ${r} records, ${options.clients} API clients`,
      date: new Date().toISOString().slice(0, 10),
      machine: {
        cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? '?', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version,
        databaseVersion: 'embedded PGlite', loadAverage: { start: Math.round(loadAtStart * 100) / 100, end: Math.round(loadavg()[0]! * 100) / 100 },
      },
      options: { records: options.records, clients: options.clients, clientSeconds: options.clientSeconds },
      targets,
      figures: [
        { label: 'ready after', value: seconds(readyMs) },
        row('idle after start (3 s)', idle),
        row('during the full sync', sync),
        row('after the sync (5 s settled)', after),
        row(`under ${options.clients} clients (${options.clientSeconds} s)`, clients),
        { label: 'RSS when the clients stopped', value: mb(afterClients / MB) },
        { label: 'full sync', value: `${log.status}, ${log.recordsSynced.toLocaleString('en')} records in ${seconds(log.durationMs ?? 0)}` },
        { label: 'API load', value: `${load.requests.toLocaleString('en')} requests, ${load.failures} failed, p50 ${load.p50} ms, p99 ${load.p99} ms, ${load.rps} requests/s` },
      ],
      equal: differences.length === 0,
      differences,
      data: { readyMs, idle, sync, after, clients, afterClientsRssMb: Math.round(afterClients / MB), log, counts, load, env: options.env ?? {} },
      notes: notes(idle, sync, after, clients),
      setup: SETUP,
    };
  } catch (error) {
    if (product) throw new Error(`${(error as Error).message}\n--- pulse-crm start's last output ---\n${product.output().slice(-3000)}`);
    throw error;
  } finally {
    await product?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * What bounds each figure, from this run's memory log. RSS is the sum over the supervisor and the
 * capped child; the rest of the child's RSS (beyond the V8 heap and the WASM memory) is native:
 * Node's own code and data, compiled code, and malloc (what the bound settings hold small).
 */
function notes(idle: PhaseMemory, sync: PhaseMemory, after: PhaseMemory, clients: PhaseMemory): string[] {
  const native = (phase: PhaseMemory) => Math.max(0, phase.lastRssMb - phase.supervisorRssMb - phase.maxHeapTotalMb - phase.maxWasmMb);
  return [
    `Idle after start: ${idle.lastRssMb} MB = the supervisor (bin/heap-cap.js, a bare Node: ${idle.supervisorRssMb} MB, most of it the node binary it shares with the child, so the tree's PSS is ${idle.lastPssMb} MB) + the child: V8 heap ${idle.maxHeapTotalMb} MB (${idle.maxHeapUsedMb} MB used: the server, the sync engine, the emulators and their seeded data, kept as columns), PGlite's WASM memory ${idle.maxWasmMb} MB, and ~${native(idle)} MB native (Node and V8, the compiled WASM code, malloc).`,
    `During the sync the V8 heap reaches ${sync.maxHeapUsedMb} MB used (${sync.maxHeapTotalMb} MB total; the worker's record budget bounds the fetched records held) and the WASM memory ${sync.maxWasmMb} MB; the peak is ${sync.peakRssMb} MB and ${after.lastRssMb} MB stays resident once it is done (heap ${after.maxHeapTotalMb} MB).`,
    `Under the clients: heap up to ${clients.maxHeapUsedMb} MB used of ${clients.maxHeapTotalMb} MB (each in-flight page of 100 records is built and serialized in the server), WASM ${clients.maxWasmMb} MB: PGlite runs one statement at a time behind one pooled connection, so the clients queue rather than multiply buffers.`,
    'Bounds in place (each measured with this scenario): PostgreSQL\'s shared_buffers 16MB in PGlite (initdb chose 128MB, which grew the WASM memory from 128 to 189 MB: about 60 MB of RSS); the PGlite WASM compiled by V8\'s baseline compiler only (the optimizing tier\'s background compilation left ~80 MB of freed memory resident, and the baseline code starts faster); MALLOC_ARENA_MAX=1 for the capped child (one 64 MB glibc arena per allocating thread had ~120 MB of freed memory resident; 2 arenas measured ~40 MB more than 1 in every phase). Before them, on this machine: idle 617 MB, sync peak 659 MB, after the sync 613 MB, under 200 clients 642 MB, full sync 95.0 s; with the first two and 2 arenas: 420, 459, 420, 442 MB, 96.8 s. A smaller record budget (PULSE_WORKER_RECORD_BUDGET 5000 instead of 20000) moved the heap peak of the sync by 4 MB, within the noise between runs (~15 MB): not a lever here.',
    'The machine is shared: figures of memory move little with CPU load, times do (see the load average above).',
  ];
}
