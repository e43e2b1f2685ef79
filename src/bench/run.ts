import { cpus, loadavg, totalmem } from 'node:os';
import { objectTypes, type ObjectType, type PlatformId } from '../crm/platforms.js';
import type { LimitSettings } from '../sandbox/core/store.js';
import { makeChanges } from './changes.js';
import { copyCeilingMs, fetchCeilingMs, rateLimitFloorMs } from './ceilings.js';
import { PUBLIC_URL, startPulse, type BenchDatabase } from './context.js';
import { differences } from './equality.js';
import { measureSync } from './measure-sync.js';
import { deletionModeOf } from '../crm/connector-module.js';
import { moduleFor } from '../crm/modules.js';
import { ndjson } from './ndjson.js';
import type { BenchProfile, BenchVariant, ChangeCounts, World } from './profile.js';
import { benchProfiles } from './profiles.js';
import { runBaselines, type BaselineResult } from './baselines.js';
import { startSandboxChild, type SandboxChild } from './sandbox-child.js';

/**
 * `pulse-crm bench --provider <id>`: that CRM's emulator in its own process, then scenarios, each on
 * a fresh database: the main one (full sync, 1,000 changes, incremental sync, ceilings, equality) on
 * the database given, the CRM's other listing paths (its profile's variants), PGlite as its own
 * labelled row, the CRM's realistic limits switched on, and a 1,000-record full sync end to end. Any
 * inequality between Pulse and the emulator fails the bench.
 */
export interface BenchOptions {
  provider: PlatformId;
  records: number;
  database: BenchDatabase;
  /** Records for the PGlite row (0: none; ignored when the main database is PGlite). */
  pgliteRecords: number;
  /** Records for the run under the OAuth-app limit (0: none). */
  limitedRecords: number;
  /** Records for the small end-to-end run (0: none). */
  smallRecords: number;
  changes: number;
  seed: number;
  onPhase?(phase: string, total: number): void;
  onProgress?(value: number): void;
}

export interface ScenarioResult {
  label: string;
  database: 'postgres' | 'pglite';
  tier: string;
  records: number;
  /** Where the sync ran (whose memory peakRssMb is): a `pulse-crm worker` process or the bench process. */
  worker: string;
  full: {
    wallMs: number; logDurationMs: number | null; requests: number; requestsByKind: Record<string, number>; minRequests: number; peakRssMb: number; recordsPerSecond: number; status: string; samples: [number, number][];
    /** CPU seconds of the syncing process (with its supervisor) and of the PostgreSQL server, during the full sync. */
    cpu: { processSeconds: number | null; postgresSeconds: number | null };
  };
  incremental: { changes: number; byObject: Record<ObjectType, ChangeCounts>; wallMs: number; logDurationMs: number | null; requests: number; requestsByKind: Record<string, number>; maxRequests: number; status: string } | null;
  ceilings: { fetchMs: number | null; copyMs: number | null; rateLimitFloorMs: number | null; responseCheckMs: number | null };
  /** Other engines' patterns and the concurrent fetch+COPY ceiling on the same pages and database (baselines.ts; main scenario, PostgreSQL). */
  baselines: BaselineResult[];
  /** What the full sync spent of the limited tier's daily allocation (null: that tier has none). */
  allocation: { spent: number; of: number; unit: string } | null;
  equal: boolean;
  differences: string[];
}

export interface Target { name: string; measured: string; limit: string; ratio: number | null; met: boolean; binding?: string }

export interface BenchResult {
  provider: PlatformId;
  records: number;
  database: 'postgres' | 'pglite';
  date: string;
  /** Load averages (1 min) when the bench started and ended: above the core count, other work shared the machine. */
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; databaseVersion: string; loadAverage: { start: number; end: number } };
  full: ScenarioResult['full'];
  incremental: ScenarioResult['incremental'];
  ceilings: ScenarioResult['ceilings'];
  ratios: { fullToFetch: number | null; fullToCopy: number | null; fullToBinding: number | null; fullToFetchPlusCopy: number | null; requestsToMinimum: number };
  equal: boolean;
  targets: Target[];
  scenarios: ScenarioResult[];
  notes: string[];
}

interface Scenario { label: string; database: BenchDatabase; records: number; tier: string; changes: number; ceilings: boolean; workerProcess?: boolean; variant?: BenchVariant }

async function tierSettings(sandbox: SandboxChild, tier: string): Promise<LimitSettings> {
  return sandbox.admin<LimitSettings>('PUT', '/_sandbox/accounts/default/limits', { tier });
}

/** Whether an incremental sync sees the object's deletions (not when they come only by webhook). */
const listsDeletions = (provider: PlatformId, object: ObjectType) => deletionModeOf(moduleFor(provider), object) !== 'notified';

/** Live records and links, read from the emulator's export (what any client has to list). */
async function worldOf(sandbox: SandboxChild): Promise<World> {
  const world: World = { counts: { contacts: 0, companies: 0, deals: 0 }, links: { contacts: {}, companies: {}, deals: {} } };
  for (const object of objectTypes) {
    for await (const record of ndjson(`${sandbox.url}/_sandbox/records/${object}?archived=false`)) {
      world.counts[object]++;
      for (const [other, ids] of Object.entries(record.associations ?? {}) as [ObjectType, unknown[]][]) {
        world.links[object][other] = (world.links[object][other] ?? 0) + ids.length;
      }
    }
  }
  return world;
}

async function runScenario(sandbox: SandboxChild, profile: BenchProfile, options: BenchOptions, scenario: Scenario): Promise<ScenarioResult> {
  options.onPhase?.(`${scenario.label}: seeding`, 1);
  await sandbox.admin('POST', '/_sandbox/seed', { seed: options.seed, records: scenario.records });
  await sandbox.admin('DELETE', '/_sandbox/faults');
  const limitedTier = await tierSettings(sandbox, profile.limited.tier);
  const limits = await tierSettings(sandbox, scenario.tier);
  await profile.prepare?.(sandbox.admin);
  await scenario.variant?.prepare(sandbox.admin);
  const world = await worldOf(sandbox);
  const counts = world.counts;
  const minRequests = (scenario.variant ?? profile).minimumRequests(world);
  // Its incremental brings every change it made, deletions included: a deleted listing that costs the
  // whole archive is swept at every run here (0), as before sweeps had a schedule. An incremental that
  // needs no sweep, next to one that does, is `--scenario archive` (archive.ts).
  const pulse = await startPulse(scenario.database, options.provider, sandbox.url, { workerProcess: scenario.workerProcess, env: { PULSE_ARCHIVE_SWEEP_MINUTES: '0' } });
  try {
    await sandbox.resetRequests();
    options.onPhase?.(`${scenario.label}: full sync`, scenario.records);
    const cpu = pulse.startCpu();
    const full = await measureSync(pulse, true, options.onProgress);
    const fullCpu = cpu();
    const fullSpent = await sandbox.requests();
    if (full.log.status !== 'success') throw new Error(`${scenario.label}: the full sync ended ${full.log.status}: ${full.log.errorMessage}`);

    let incremental: ScenarioResult['incremental'] = null;
    if (scenario.changes > 0) {
      options.onPhase?.(`${scenario.label}: ${scenario.changes} changes in the CRM`, 1);
      const byObject = await makeChanges(sandbox, scenario.changes, options.seed, (object) => listsDeletions(options.provider, object));
      await sandbox.resetRequests();
      options.onPhase?.(`${scenario.label}: incremental sync`, scenario.changes);
      const run = await measureSync(pulse, false, options.onProgress);
      const spent = await sandbox.requests();
      if (run.log.status !== 'success') throw new Error(`${scenario.label}: the incremental sync ended ${run.log.status}: ${run.log.errorMessage}`);
      incremental = {
        changes: scenario.changes, byObject, wallMs: run.wallMs, logDurationMs: run.log.durationMs, requests: spent.total, requestsByKind: spent.byKind,
        maxRequests: profile.incrementalMaxRequests(byObject, counts), status: run.log.status,
      };
    }

    options.onPhase?.(`${scenario.label}: equality check`, 1);
    const problems = await differences(pulse, sandbox.url);

    let fetchMs: number | null = null;
    let copyMs: number | null = null;
    let responseCheckMs: number | null = null;
    if (scenario.ceilings) {
      options.onPhase?.(`${scenario.label}: fetch ceiling`, 1);
      ({ ms: fetchMs, checkMs: responseCheckMs } = await fetchCeilingMs(sandbox, profile));
      options.onPhase?.(`${scenario.label}: write ceiling (COPY)`, 1);
      copyMs = (await copyCeilingMs(pulse)).ms;
    }
    const baselines = scenario.ceilings && scenario.database.kind === 'postgres' ? await runBaselines(pulse.ctx.db.pool, sandbox, profile, options) : [];
    const floor = rateLimitFloorMs(limits, fullSpent.byKind);
    const cost = profile.dailyCost?.(fullSpent.byKind) ?? { spent: fullSpent.total, unit: 'requests' };
    return {
      label: scenario.label,
      database: scenario.database.kind,
      tier: scenario.tier,
      records: scenario.records,
      worker: pulse.worker,
      full: {
        wallMs: full.wallMs, logDurationMs: full.log.durationMs, requests: fullSpent.total, requestsByKind: fullSpent.byKind, minRequests, peakRssMb: full.peakRssMb,
        recordsPerSecond: (scenario.records * 1000) / full.wallMs, status: full.log.status, samples: full.samples.map(([t, v]) => [Math.round(t), v]), cpu: fullCpu,
      },
      incremental,
      ceilings: { fetchMs, copyMs, rateLimitFloorMs: floor, responseCheckMs },
      baselines,
      allocation: limitedTier.dailyMax ? { spent: cost.spent, of: limitedTier.dailyMax, unit: cost.unit } : null,
      equal: problems.length === 0,
      differences: problems,
    };
  } finally {
    await pulse.close();
  }
}

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const profile = benchProfiles[options.provider];
  if (!profile) throw new Error(`no bench profile for ${options.provider}; the bench measures ${Object.keys(benchProfiles).join(', ')}`);
  const loadAtStart = loadavg()[0]!;
  const sandbox = await startSandboxChild(options.provider, options.records, options.seed, `${PUBLIC_URL}/crm/oauth/callback`);
  const scenarios: ScenarioResult[] = [];
  let databaseVersion = '';
  try {
    const mainLabel = options.database.kind === 'postgres' ? 'PostgreSQL' : 'PGlite (embedded)';
    const run = (scenario: Scenario) => runScenario(sandbox, profile, options, scenario);
    scenarios.push(await run({ label: mainLabel, database: options.database, records: options.records, tier: 'off', changes: options.changes, ceilings: true }));
    databaseVersion = await versionOf(options.database);
    for (const variant of profile.variants ?? []) {
      scenarios.push(await run({ label: `${mainLabel}, ${variant.label}`, database: options.database, records: options.records, tier: 'off', changes: 0, ceilings: false, variant }));
    }
    if (options.database.kind === 'postgres' && options.pgliteRecords > 0) {
      scenarios.push(await run({ label: 'PGlite (embedded)', database: { kind: 'pglite' }, records: options.pgliteRecords, tier: 'off', changes: options.changes, ceilings: true }));
    }
    if (options.limitedRecords > 0) {
      scenarios.push(await run({ label: `${mainLabel}, ${profile.limited.label}`, database: options.database, records: options.limitedRecords, tier: profile.limited.tier, changes: 0, ceilings: false }));
    }
    if (options.smallRecords > 0) {
      scenarios.push(await run({ label: `${mainLabel}, small, worker in process`, database: options.database, records: options.smallRecords, tier: 'off', changes: 0, ceilings: false, workerProcess: false }));
    }
  } finally {
    await sandbox.close();
  }
  const main = scenarios[0]!;
  const bound = Math.max(main.ceilings.fetchMs ?? 0, main.ceilings.copyMs ?? 0);
  const result: BenchResult = {
    provider: options.provider,
    records: options.records,
    database: options.database.kind,
    date: new Date().toISOString().slice(0, 10),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? '?', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, databaseVersion, loadAverage: { start: Math.round(loadAtStart * 100) / 100, end: Math.round(loadavg()[0]! * 100) / 100 } },
    full: main.full,
    incremental: main.incremental,
    ceilings: main.ceilings,
    ratios: {
      fullToFetch: main.ceilings.fetchMs ? main.full.wallMs / main.ceilings.fetchMs : null,
      fullToCopy: main.ceilings.copyMs ? main.full.wallMs / main.ceilings.copyMs : null,
      fullToBinding: bound ? main.full.wallMs / bound : null,
      fullToFetchPlusCopy: main.ceilings.fetchMs && main.ceilings.copyMs ? main.full.wallMs / (main.ceilings.fetchMs + main.ceilings.copyMs) : null,
      requestsToMinimum: main.full.requests / main.full.minRequests,
    },
    equal: scenarios.every((scenario) => scenario.equal),
    targets: targets(scenarios, profile),
    scenarios,
    notes: notes(options.provider, scenarios, profile),
  };
  return result;
}

function notes(provider: PlatformId, scenarios: ScenarioResult[], profile: BenchProfile): string[] {
  const main = scenarios[0]!;
  const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const out: string[] = [];
  if (main.ceilings.fetchMs && main.ceilings.copyMs) {
    out.push(`Each ceiling is measured alone. During the sync the sandbox (serving), PostgreSQL (inserting) and the worker (parsing, mapping) share the machine's ${cpus().length} cores, so with ${cpus().length} cores fetch + write (${sec(main.ceilings.fetchMs + main.ceilings.copyMs)}) is the closer bound: the full sync took ${(main.full.wallMs / (main.ceilings.fetchMs + main.ceilings.copyMs)).toFixed(2)}× that.`);
  }
  if (main.ceilings.responseCheckMs) {
    const perRecord = (main.ceilings.responseCheckMs * 1000) / main.records;
    out.push(`Checking every list page against the connector's response schema (provider_contract) costs ${perRecord.toFixed(2)} µs per record, ${sec(main.ceilings.responseCheckMs)} for these ${main.records.toLocaleString('en')} records: ${((100 * main.ceilings.responseCheckMs) / main.full.wallMs).toFixed(1)} % of the full sync's wall time (timed on the fetch ceiling's pages, one core).`);
  }
  if (main.allocation) out.push(`The full sync spent ${main.allocation.spent.toLocaleString('en')} ${main.allocation.unit} of the ${main.allocation.of.toLocaleString('en')} a day the limited tier allows (${((100 * main.allocation.spent) / main.allocation.of).toFixed(2)} %): ${main.allocation.spent > main.allocation.of ? `${Math.ceil(main.allocation.spent / main.allocation.of)} days` : 'well within one day'}.`);
  const notified = objectTypes.filter((object) => !listsDeletions(provider, object));
  if (notified.length) out.push(`The incremental scenario deletes no ${notified.join(' or ')}: the CRM lists no deleted ones, so those deletions reach Pulse by webhook and by the periodic full listing, not by a scheduled incremental sync; their share of the changes are updates.`);
  out.push(...profile.notes);
  if (scenarios.some((scenario) => scenario.database === 'pglite')) out.push('PGlite\'s socket cannot carry COPY FROM STDIN, so its write ceiling is one INSERT … SELECT per table (no client round trips: a higher ceiling than COPY).');
  return out;
}

/** CPU seconds (process + PostgreSQL) per 100,000 records; null when either is unknown. */
export function cpuPer100k(cpu: { processSeconds: number | null; postgresSeconds: number | null }, records: number): number | null {
  return cpu.processSeconds === null || cpu.postgresSeconds === null || records === 0 ? null : ((cpu.processSeconds + cpu.postgresSeconds) * 100_000) / records;
}

/** Pulse against the peers' patterns and the machine's concurrent ceiling, all measured in this run. */
function baselineTargets(main: ScenarioResult): Target[] {
  const find = (name: BaselineResult['name']) => main.baselines.find((baseline) => baseline.name === name);
  const label = (text: string) => `${text} (${main.label}, ${main.records.toLocaleString('en-US')} records)`;
  const out: Target[] = [];
  const peers = main.baselines.filter((baseline) => baseline.name !== 'concurrent ceiling');
  const faster = peers.sort((a, b) => b.recordsPerSecond - a.recordsPerSecond)[0];
  if (faster) {
    const ratio = main.full.recordsPerSecond / faster.recordsPerSecond;
    out.push({
      name: label('full sync ≥ 2 × the records/s of the faster baseline'), measured: `${Math.round(main.full.recordsPerSecond).toLocaleString('en-US')}/s`,
      limit: `${Math.round(2 * faster.recordsPerSecond).toLocaleString('en-US')}/s`, ratio, met: ratio >= 2, binding: `${faster.name} ${Math.round(faster.recordsPerSecond).toLocaleString('en-US')}/s`,
    });
  }
  const ceiling = find('concurrent ceiling');
  if (ceiling) {
    const ratio = main.full.wallMs / ceiling.wallMs;
    out.push({
      name: label('full sync ≤ 1.3 × the concurrent fetch+COPY ceiling'), measured: `${(main.full.wallMs / 1000).toFixed(2)} s`, limit: `${((1.3 * ceiling.wallMs) / 1000).toFixed(2)} s`,
      ratio, met: ratio <= 1.3, binding: `concurrent ceiling ${(ceiling.wallMs / 1000).toFixed(2)} s`,
    });
  }
  const pageByPage = find('page-by-page');
  const ours = cpuPer100k(main.full.cpu, main.records);
  const theirs = pageByPage ? cpuPer100k(pageByPage.cpu, pageByPage.records) : null;
  if (ours !== null && theirs !== null) {
    out.push({
      name: label('CPU (worker + PostgreSQL) per 100k records ≤ ½ the page-by-page baseline\'s'), measured: `${ours.toFixed(1)} s`, limit: `${(theirs / 2).toFixed(1)} s`,
      ratio: ours / theirs, met: ours <= theirs / 2, binding: `page-by-page ${theirs.toFixed(1)} s`,
    });
  }
  return out;
}

async function versionOf(database: BenchDatabase): Promise<string> {
  if (database.kind === 'pglite') return 'PGlite (PostgreSQL 17 in WASM)';
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try { return `PostgreSQL ${(await client.query('SHOW server_version')).rows[0].server_version}`; } finally { await client.end(); }
}

function targets(scenarios: ScenarioResult[], profile: BenchProfile): Target[] {
  const [main] = scenarios;
  const out: Target[] = [];
  const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  if (!main) return out;
  const fetchMs = main.ceilings.fetchMs ?? 0;
  const copyMs = main.ceilings.copyMs ?? 0;
  const bound = Math.max(fetchMs, copyMs);
  const label = (text: string, scenario: ScenarioResult) => `${text} (${scenario.label}, ${scenario.records.toLocaleString('en-US')} records)`;
  out.push({
    name: label('full sync ≤ 1.5 × max(fetch, write ceiling)', main), measured: sec(main.full.wallMs), limit: sec(1.5 * bound), ratio: bound ? main.full.wallMs / bound : null,
    met: main.full.wallMs <= 1.5 * bound, binding: `${fetchMs >= copyMs ? 'fetch' : 'write'} ceiling ${sec(bound)}`,
  });
  out.push({
    name: label('full sync requests ≤ minimum + 1 %', main), measured: String(main.full.requests), limit: String(Math.floor(main.full.minRequests * 1.01)),
    ratio: main.full.requests / main.full.minRequests, met: main.full.requests <= main.full.minRequests * 1.01,
  });
  out.push({ name: label('peak RSS of the syncing process ≤ 300 MB', main), measured: `${main.full.peakRssMb} MB`, limit: '300 MB', ratio: main.full.peakRssMb / 300, met: main.full.peakRssMb <= 300 });
  if (main.incremental) {
    const inc = main.incremental;
    out.push({ name: label(`incremental sync of ${inc.changes} changes ≤ 2 s`, main), measured: sec(inc.wallMs), limit: '2.00 s', ratio: inc.wallMs / 2000, met: inc.wallMs <= 2000 });
    out.push({ name: label(`incremental requests ≤ ${profile.incrementalRule}`, main), measured: String(inc.requests), limit: String(inc.maxRequests), ratio: inc.requests / inc.maxRequests, met: inc.requests <= inc.maxRequests });
  }
  // Under the limits a sync can be no faster than the limits' floor, nor than the same sync without them.
  const limited = scenarios.find((scenario) => scenario.tier !== 'off');
  if (limited?.ceilings.rateLimitFloorMs) {
    const floor = limited.ceilings.rateLimitFloorMs;
    const unlimited = (main.full.wallMs * limited.records) / main.records;
    const bound = Math.max(floor, unlimited);
    out.push({
      name: label('full sync under the limits ≤ 1.05 × max(rate-limit floor, the sync without limits)', limited), measured: sec(limited.full.wallMs), limit: sec(1.05 * bound), ratio: limited.full.wallMs / bound, met: limited.full.wallMs <= 1.05 * bound,
      binding: floor >= unlimited ? `rate-limit floor ${sec(floor)}` : `the sync without limits ${sec(unlimited)} (the floor, ${sec(floor)}, does not bind)`,
    });
  }
  out.push(...baselineTargets(main));
  const small = scenarios.find((scenario) => scenario.label.includes(', small'));
  if (small) out.push({ name: label('small full sync end to end < 1 s', small), measured: sec(small.full.wallMs), limit: '1.00 s', ratio: small.full.wallMs / 1000, met: small.full.wallMs < 1000 });
  out.push({ name: 'Pulse holds exactly the sandbox\'s records (every scenario)', measured: scenarios.every((x) => x.equal) ? 'equal' : 'DIFFERENT', limit: 'equal', ratio: null, met: scenarios.every((x) => x.equal) });
  return out;
}
