import { loadavg } from 'node:os';
import { objectTypes, type PlatformId } from '../crm/platforms.js';
import { asSystem } from '../db/tenant.js';
import { PUBLIC_URL, type WorkerProcess } from './context.js';
import { sampleUsage, startFleet, type Fleet, type RunOutcome } from './fleet.js';
import { atMost, machineOf, seconds, WORKER_RSS_LIMIT_MB, type FleetResult } from './fleet-result.js';
import { ndjson } from './ndjson.js';
import { benchProfiles } from './profiles.js';
import type { Target } from './run.js';
import { startSandboxChild, type SandboxChild } from './sandbox-child.js';

/**
 * `pulse-crm bench --scenario crashes`: a full sync with its worker SIGKILLed again and again. First
 * the same sync uninterrupted (same run, same size, same workers), then one with a kill at evenly
 * spread progress points, a fresh worker started right after each; the surviving worker takes the run
 * over once its heartbeat is older than the timeout. Reported: the total against uninterrupted +
 * kills × (heartbeat timeout + 5 s), each kill's resume delay, runs ended failed, the run's counts
 * against the rows written and the emulator's, and equality record by record.
 */
export interface CrashesOptions {
  provider: PlatformId;
  databaseUrl: string;
  /** Contacts; the emulator adds companies and deals in its usual proportions. */
  contacts: number;
  kills: number;
  workers: number;
  heartbeatTimeoutMs: number;
  schedulerTickMs: number;
  seed: number;
  onPhase?(phase: string, total: number): void;
  onProgress?(value: number): void;
}

/** The emulator's usual share of contacts among the records it generates (70 %: 100k contacts are 142,857 records). */
const CONTACTS_SHARE = 0.7;
/** Allowance per kill on top of the heartbeat timeout, from the issue. */
const PER_KILL_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runCrashesBench(options: CrashesOptions): Promise<FleetResult> {
  const profile = benchProfiles[options.provider];
  if (!profile) throw new Error(`no bench profile for ${options.provider}`);
  const loadAtStart = loadavg()[0]!;
  const tier = profile.limited.tier;
  const records = Math.round(options.contacts / CONTACTS_SHARE);
  const sandbox = await startSandboxChild(options.provider, 100, options.seed, `${PUBLIC_URL}/crm/oauth/callback`);
  let fleet: Fleet | null = null;
  try {
    fleet = await startFleet({
      databaseUrl: options.databaseUrl, provider: options.provider, sandbox, workers: options.workers,
      // The scheduler's tick is what notices a dead worker's run (reconcile), so it runs in every worker.
      workerEnv: { PULSE_HEARTBEAT_TIMEOUT_MS: String(options.heartbeatTimeoutMs), PULSE_SCHEDULER_INTERVAL_MS: String(options.schedulerTickMs) },
    });
    const phase = (name: string, total: number) => options.onPhase?.(name, total);

    phase(`uninterrupted full sync of ${records.toLocaleString('en')}`, records);
    const calm = await fleet.addTenant(records, tier);
    const usage = sampleUsage(fleet, options.databaseUrl);
    const [uninterrupted] = await fleet.syncTogether([calm], { full: true, onProgress: options.onProgress });
    if (uninterrupted!.status !== 'success') throw new Error(`the uninterrupted sync ended ${uninterrupted!.status}: ${uninterrupted!.errorMessage}`);
    const uninterruptedMs = uninterrupted!.completedAt - uninterrupted!.requestedAt;

    phase(`full sync with ${options.kills} worker kills`, records);
    const crashed = await fleet.addTenant(records, tier);
    const { logId } = await fleet.ctx.sync!.request({ userId: crashed.userId, integrationId: crashed.integrationId, full: true });
    const progress = async () => (await fleet!.runs([logId]))[0]!;
    const kills = await killAtPoints(fleet, progress, records, options);
    let run = await progress();
    while (run.status === 'running') {
      await sleep(200);
      run = await progress();
      options.onProgress?.(run.recordsSynced);
    }
    const peak = await usage.stop();
    const crashedMs = run.completedAt - run.requestedAt;

    phase('counts and equality', 2);
    const rows = await fleet.rowsOf(crashed);
    const expected = await liveCountsOf(sandbox, crashed.accountId);
    const failed = await asSystem(fleet.ctx.db.pool, (tx) => tx.query("SELECT count(*)::int AS n FROM crm_sync_logs WHERE status = 'failed'"));
    options.onProgress?.(1);
    const differences = [...await fleet.differences(calm), ...await fleet.differences(crashed)];
    options.onProgress?.(2);

    const resumes = kills.flatMap((kill) => (kill.resumeMs === null ? [] : [kill.resumeMs]));
    const countsExact = run.byObject.every((n, i) => n === rows[i] && n === expected[i]) && run.recordsSynced === rows.reduce((a, b) => a + b, 0);
    const peakRssMb = Math.max(0, ...peak.peakRssMbByWorker);
    const limitMs = uninterruptedMs + kills.length * (options.heartbeatTimeoutMs + PER_KILL_MS);
    const count = (value: number) => value.toLocaleString('en');
    const list = (values: number[]) => `[${values.map(count).join(', ')}]`;
    const targets: Target[] = [
      atMost(`${kills.length} SIGKILLs: total ≤ uninterrupted + kills × (heartbeat timeout + ${PER_KILL_MS / 1000} s)`, crashedMs, limitMs, seconds),
      atMost('runs ended `failed`', failed.rows[0].n, 0, count),
      { name: 'counts exact: the run\'s records_synced (per object) = rows written = the emulator\'s', measured: `${list(run.byObject)} / ${list(rows)} / ${list(expected)}`, limit: 'all equal', ratio: null, met: countsExact, ...(countsExact ? {} : { binding: 'counted twice or lost' }) },
      { name: 'ids (and every stored field) equal to the emulator\'s', measured: differences.length ? `${differences.length} differences` : 'equal', limit: 'equal', ratio: null, met: differences.length === 0 },
      atMost('peak RSS of any worker (no NODE_OPTIONS)', peakRssMb, WORKER_RSS_LIMIT_MB, (value) => `${Math.round(value)} MB`),
    ];
    if (kills.length < options.kills) targets.push({ name: `kills made`, measured: count(kills.length), limit: count(options.kills), ratio: null, met: false, binding: 'the run finished before the last kill points' });
    return {
      scenario: 'crashes',
      provider: options.provider,
      name: `${options.provider}-crashes-${options.contacts}`,
      title: `${count(options.kills)} worker SIGKILLs during a full sync of ${count(options.contacts)} contacts (${count(records)} records)`,
      date: new Date().toISOString().slice(0, 10),
      machine: await machineOf(options.databaseUrl, loadAtStart),
      options: { contacts: options.contacts, records, kills: options.kills, workers: options.workers, heartbeatTimeoutMs: options.heartbeatTimeoutMs, schedulerTickMs: options.schedulerTickMs, tier, seed: options.seed },
      targets,
      figures: [
        { label: 'uninterrupted full sync', value: seconds(uninterruptedMs) },
        { label: `full sync with ${kills.length} kills`, value: `${seconds(crashedMs)} (${seconds(crashedMs - uninterruptedMs)} more)` },
        { label: 'resume delay per kill (kill → progress again), median / max', value: resumes.length ? `${seconds(median(resumes))} / ${seconds(Math.max(...resumes))}` : '–' },
        { label: 'resume delay of each kill, at records committed', value: kills.map((kill) => `${kill.resumeMs === null ? 'never' : seconds(kill.resumeMs)} at ${count(kill.at)}`).join('; ') || '–' },
        { label: 'records_synced / rows written / emulator', value: `${count(run.recordsSynced)} / ${count(rows.reduce((a, b) => a + b, 0))} / ${count(expected.reduce((a, b) => a + b, 0))}` },
        { label: 'peak RSS per worker', value: peak.peakRssMbByWorker.map((mb) => `${mb} MB`).join(', ') },
        { label: 'database connections, most at once', value: count(peak.maxConnections) },
      ],
      equal: differences.length === 0,
      differences: differences.slice(0, 50),
      data: {
        uninterruptedMs, crashedMs, limitMs, status: run.status, kills, recordsSynced: run.recordsSynced, byObject: run.byObject, rows, expected,
        failedRuns: failed.rows[0].n, ...peak,
      },
      notes: [
        `Both syncs run under ${profile.limited.label}, on ${options.workers} \`pulse-crm worker\` processes started as deployed (no NODE_OPTIONS, the product's defaults) with PULSE_HEARTBEAT_TIMEOUT_MS=${options.heartbeatTimeoutMs} and PULSE_SCHEDULER_INTERVAL_MS=${options.schedulerTickMs}; each on an emulator account of its own with the same number of records.`,
        `Kills land when the run's committed count passes each of ${options.kills} evenly spread points; the worker killed is the one that last logged claiming the run, and a fresh one is started right after. The run is taken over by whichever worker's scheduler tick first finds its heartbeat older than the timeout.`,
        `What bounds each resume delay: the heartbeat timeout (${seconds(options.heartbeatTimeoutMs)}) plus up to one scheduler tick (${seconds(options.schedulerTickMs)}), then the first page after the hand-over and its commit (the run resumes from its last committed page, waiting on the account's limit as before). Progress is read every 50 ms.`,
        'Counts: the run\'s per-object counts are written with the rows, so a page committed twice or lost after a kill shows as a difference against the rows Pulse holds and the emulator\'s live records.',
      ],
    };
  } finally {
    await fleet?.close();
    await sandbox.close();
  }
}

interface Kill { at: number; resumeMs: number | null; killedPid: number }

/**
 * Kills the run's worker each time its committed count passes one of `kills` evenly spread points,
 * starts a fresh worker right after, and times each kill until the run commits again. Stops early
 * if the run ends first.
 */
async function killAtPoints(fleet: Fleet, progress: () => Promise<RunOutcome>, records: number, options: CrashesOptions): Promise<Kill[]> {
  const kills: Kill[] = [];
  for (let k = 1; k <= options.kills; k++) {
    const point = Math.floor((records * k) / (options.kills + 1));
    let now = await progress();
    while (now.status === 'running' && now.recordsSynced < point) {
      await sleep(50);
      now = await progress();
      options.onProgress?.(now.recordsSynced);
    }
    if (now.status !== 'running') break;
    // The claim's log line may trail the run's first commit by a moment.
    let owner = ownerOf(fleet.workers, now.logId);
    for (let wait = 0; !owner && wait < 40; wait++) {
      await sleep(50);
      owner = ownerOf(fleet.workers, now.logId);
    }
    if (!owner) throw new Error(`no live worker says it claimed run ${now.logId}: ${JSON.stringify(fleet.workers.map((worker) => ({ pid: worker.pid, alive: worker.alive(), claims: worker.claims() })))}`);
    await owner.kill();
    const killedAt = performance.now();
    const at = (await progress()).recordsSynced;
    // Right after each kill, a fresh worker, as a process manager would restart it.
    const replacement = fleet.startWorker();
    let resumeMs: number | null = null;
    for (;;) {
      const after = await progress();
      if (after.recordsSynced > at) { resumeMs = performance.now() - killedAt; break; }
      if (after.status !== 'running') break;
      await sleep(50);
    }
    await replacement;
    kills.push({ at, resumeMs, killedPid: owner.pid });
  }
  return kills;
}

/** The live worker that logged claiming the run last (a worker presumed dead may still be alive, and loses it). */
function ownerOf(workers: WorkerProcess[], logId: string): WorkerProcess | null {
  let owner: WorkerProcess | null = null;
  let latest = 0;
  for (const worker of workers) {
    for (const claim of worker.claims()) {
      if (claim.logId === logId && claim.time > latest && worker.alive()) { latest = claim.time; owner = worker; }
    }
  }
  return owner;
}

async function liveCountsOf(sandbox: SandboxChild, accountId: number): Promise<[number, number, number]> {
  const counts = [0, 0, 0] as [number, number, number];
  for (const [i, object] of objectTypes.entries()) {
    for await (const _record of ndjson(`${sandbox.url}/_sandbox/records/${object}?archived=false&accountId=${accountId}`)) counts[i]!++;
  }
  return counts;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
