import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import { runArchiveBench } from '../bench/archive.js';
import { runFilterBench } from '../bench/filter.js';
import { runCrashesBench } from '../bench/crashes.js';
import { runEmbeddedBench } from '../bench/embedded.js';
import type { FleetResult } from '../bench/fleet-result.js';
import { writeFleetReport, writeReport } from '../bench/report.js';
import { benchProfiles } from '../bench/profiles.js';
import { runBench } from '../bench/run.js';
import { runRealtimeBench, writeRealtimeReport } from '../bench/realtime.js';
import { runTenantsBench } from '../bench/tenants.js';
import { platformIds } from '../crm/platforms.js';

/**
 * `pulse-crm bench --provider <id>` (`npm run bench`): runs the sync benchmark of one CRM against its
 * emulator and writes bench/results/<date>-<id>-<records>.{json,md,svg}. Exits 1 when Pulse and the
 * emulator differ. `--scenario tenants` (many tenants on a few workers) and `--scenario crashes`
 * (workers SIGKILLed mid-sync), `--scenario archive` (an incremental against a large archive) and
 * `--scenario filter` (a full sync with a selective-sync filter matching one record in ten) write
 * bench/results/<date>-<id>-<scenario>-….{json,md}; they need a
 * PostgreSQL server, since separate worker processes share one database. `--scenario embedded`
 * measures the memory of `pulse-crm start` itself (PGlite, the in-process sandbox) through a full sync
 * and concurrent API clients; it needs no server.
 */
export interface BenchCommandOptions {
  provider: string;
  scenario?: string;
  /** Per scenario: records of the main run (sync), per tenant (tenants), contacts (crashes). */
  records?: number;
  pgliteRecords?: number;
  limitedRecords?: number;
  smallRecords: number;
  changes?: number;
  intervalMs?: number;
  seed: number;
  tenants?: number;
  workers?: number;
  bigRecords?: number;
  smallTenants?: number;
  kills?: number;
  archived?: number;
  clients?: number;
  clientSeconds?: number;
  heartbeatTimeoutMs?: number;
  schedulerTickMs?: number;
  out?: string;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const scenarios = ['sync', 'tenants', 'crashes', 'realtime', 'archive', 'embedded', 'filter'] as const;

/** A bar per phase on a terminal; one line per phase otherwise (CI, a log file). */
function progressDisplay() {
  const bar = new cliProgress.SingleBar({
    format: '{phase} [{bar}] {percentage}% | {value}/{total} | {rate}/s',
    hideCursor: true,
    clearOnComplete: false,
  }, cliProgress.Presets.shades_classic);
  let phaseStart = performance.now();
  let active = false;
  return {
    onPhase(phase: string, total: number) {
      if (!process.stderr.isTTY) return void console.log(`${new Date().toISOString()} ${phase}`);
      if (active) bar.stop();
      phaseStart = performance.now();
      bar.start(total, 0, { phase: phase.padEnd(44), rate: 0 });
      active = true;
    },
    onProgress(value: number) {
      const seconds = (performance.now() - phaseStart) / 1000;
      bar.update(value, { rate: seconds > 0 ? Math.round(value / seconds) : 0 });
    },
    stop: () => active && bar.stop(),
  };
}

export async function benchCommand(options: BenchCommandOptions): Promise<void> {
  const provider = platformIds.find((id) => id === options.provider && benchProfiles[id]);
  if (!provider) {
    console.error(`pulse-crm bench: --provider must be one of ${Object.keys(benchProfiles).join(', ')} (got "${options.provider}").`);
    process.exitCode = 2;
    return;
  }
  const scenario = scenarios.find((name) => name === (options.scenario ?? 'sync'));
  if (!scenario) {
    console.error(`pulse-crm bench: --scenario must be one of ${scenarios.join(', ')} (got "${options.scenario}").`);
    process.exitCode = 2;
    return;
  }
  const url = process.env.DATABASE_URL;
  const out = options.out ?? join(repoRoot, 'bench', 'results');
  if (scenario === 'embedded') return embeddedScenario(provider, options, out);
  if (scenario !== 'sync') {
    if (!url || !/^postgres(ql)?:/.test(url)) {
      console.error(`pulse-crm bench --scenario ${scenario}: needs DATABASE_URL set to a PostgreSQL server (a scratch database is created there and dropped afterwards). Embedded PGlite is one process and cannot be shared by separate worker processes, which is what this scenario measures.`);
      process.exitCode = 2;
      return;
    }
    if (scenario === 'realtime') return realtimeScenario(provider, url, options, out);
    return fleetScenario(scenario, provider, url, options, out);
  }
  if (!url) console.log('DATABASE_URL is not set: measuring on embedded PGlite only. Set it to a PostgreSQL server to measure there.');
  const records = options.records ?? 100_000;
  const display = progressDisplay();
  const result = await runBench({
    provider,
    records,
    database: url ? { kind: 'postgres', url } : { kind: 'pglite' },
    pgliteRecords: options.pgliteRecords ?? Math.min(records, 100_000),
    limitedRecords: options.limitedRecords ?? Math.min(records, 100_000),
    smallRecords: options.smallRecords,
    changes: options.changes ?? 1000,
    seed: options.seed,
    onPhase: display.onPhase,
    onProgress: display.onProgress,
  }).finally(display.stop);
  const paths = writeReport(result, out);
  console.log('');
  for (const target of result.targets) console.log(`${target.met ? 'met ' : 'MISS'}  ${target.name}: ${target.measured} (limit ${target.limit})`);
  console.log(`\nReport: ${paths.markdown}\nChart:  ${paths.svg}\nData:   ${paths.json}`);
  if (!result.equal) {
    for (const scenario of result.scenarios.filter((s) => !s.equal)) console.error(`${scenario.label}: Pulse differs from the sandbox:\n  ${scenario.differences.join('\n  ')}`);
    console.error('pulse-crm bench: FAILED — the database does not hold exactly the sandbox\'s records.');
    process.exitCode = 1;
  }
}

async function fleetScenario(scenario: 'tenants' | 'crashes' | 'archive' | 'filter', provider: (typeof platformIds)[number], databaseUrl: string, options: BenchCommandOptions, out: string): Promise<void> {
  const display = progressDisplay();
  const common = { provider, databaseUrl, workers: options.workers ?? 2, seed: options.seed, onPhase: display.onPhase, onProgress: display.onProgress };
  let result: FleetResult;
  try {
    result = scenario === 'filter'
      ? await runFilterBench({ provider, databaseUrl, records: options.records ?? 100_000, seed: options.seed, onPhase: display.onPhase, onProgress: display.onProgress })
      : scenario === 'archive'
      ? await runArchiveBench({
        ...common, archived: options.archived ?? 100_000, records: options.records ?? (options.archived ?? 100_000) + 10_000, changes: options.changes ?? 1000,
      })
      : scenario === 'tenants'
      ? await runTenantsBench({
        ...common, tenants: options.tenants ?? 50, records: options.records ?? 10_000,
        bigRecords: options.bigRecords ?? 500_000, smallTenants: options.smallTenants ?? 20,
      })
      : await runCrashesBench({
        ...common, contacts: options.records ?? 100_000, kills: options.kills ?? 20,
        heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 3_000, schedulerTickMs: options.schedulerTickMs ?? 500,
      });
  } finally {
    display.stop();
  }
  const paths = writeFleetReport(result, out);
  console.log('');
  for (const target of result.targets) console.log(`${target.met ? 'met ' : 'MISS'}  ${target.name}: ${target.measured} (limit ${target.limit})`);
  console.log(`\nReport: ${paths.markdown}\nData:   ${paths.json}`);
  if (!result.equal) {
    console.error(`Pulse differs from the sandbox:\n  ${result.differences.join('\n  ')}`);
    console.error('pulse-crm bench: FAILED — the database does not hold exactly the sandbox\'s records.');
    process.exitCode = 1;
  }
}

async function realtimeScenario(provider: (typeof platformIds)[number], databaseUrl: string, options: BenchCommandOptions, out: string): Promise<void> {
  const display = progressDisplay();
  const result = await runRealtimeBench({
    provider, databaseUrl, records: options.records ?? 10_000, changes: options.changes ?? 100, intervalMs: options.intervalMs ?? 300,
    seed: options.seed, onPhase: display.onPhase, onProgress: display.onProgress,
  }).finally(display.stop);
  const base = writeRealtimeReport(result, out);
  console.log(`
latency p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms, max ${result.latencyMs.max} ms; ${result.unseen} unseen`);
  console.log(`CRM requests: ${result.pushedRequests} pushed vs ${result.pollingRequests.sameFreshness} polling as fresh\nReport: ${base}.md`);
  if (!result.equal) {
    console.error(`Pulse differs from the sandbox:\n  ${result.differences.join('\n  ')}`);
    process.exitCode = 1;
  }
}


async function embeddedScenario(provider: (typeof platformIds)[number], options: BenchCommandOptions, out: string): Promise<void> {
  const display = progressDisplay();
  const result = await runEmbeddedBench({
    provider, records: options.records ?? 100_000, clients: options.clients ?? 200, clientSeconds: options.clientSeconds ?? 30,
    onPhase: display.onPhase, onProgress: display.onProgress,
  }).finally(display.stop);
  const paths = writeFleetReport(result, out);
  console.log('');
  for (const target of result.targets) console.log(`${target.met ? 'met ' : 'MISS'}  ${target.name}: ${target.measured} (limit ${target.limit})`);
  for (const figure of result.figures) console.log(`${figure.label}: ${figure.value}`);
  console.log(`\nReport: ${paths.markdown}\nData:   ${paths.json}`);
  if (!result.equal) {
    console.error(`Pulse differs from the sandbox:\n  ${result.differences.join('\n  ')}`);
    process.exitCode = 1;
  }
}
