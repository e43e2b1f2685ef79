import { loadavg } from 'node:os';
import type { PlatformId } from '../crm/platforms.js';
import type { LimitSettings } from '../sandbox/core/store.js';
import { rateLimitFloorMs } from './ceilings.js';
import { PUBLIC_URL } from './context.js';
import { percentile, sampleUsage, startFleet, type Fleet, type RunOutcome, type Tenant, type Usage } from './fleet.js';
import { atMost, machineOf, seconds, WORKER_RSS_LIMIT_MB, type FleetResult } from './fleet-result.js';
import { benchProfiles } from './profiles.js';
import type { Target } from './run.js';
import { startSandboxChild } from './sandbox-child.js';

/**
 * `pulse-crm bench --scenario tenants`: many tenants, each on its own emulator account under the
 * CRM's realistic limit (its profile's limited tier, e.g. an OAuth app's), their full syncs requested
 * together and served by a few `pulse-crm worker` processes as deployed. Measured against ceilings
 * from the same run: one tenant's rate-limit floor (it cannot finish sooner, nor can all of them) and
 * all records at the pace of one tenant synced alone with limits off (the machine cannot go faster).
 * Then a big tenant started first with small ones right after, against the small ones alone.
 */
export interface TenantsOptions {
  provider: PlatformId;
  databaseUrl: string;
  tenants: number;
  /** Records per tenant, in the emulator's usual proportions. */
  records: number;
  workers: number;
  /** Records of the big tenant (0: no big-first part). */
  bigRecords: number;
  smallTenants: number;
  seed: number;
  onPhase?(phase: string, total: number): void;
  onProgress?(value: number): void;
}

/** Slack on each target, from the issue: total ≤ 1.3 × bound, p95 ≤ 1.3 × p50, small tenants ≤ 1.5× alone. */
const TOTAL_SLACK = 1.3;
const SPREAD_SLACK = 1.3;
const BIG_FIRST_SLACK = 1.5;

const msOf = (run: RunOutcome) => run.completedAt - run.requestedAt;

export async function runTenantsBench(options: TenantsOptions): Promise<FleetResult> {
  const profile = benchProfiles[options.provider];
  if (!profile) throw new Error(`no bench profile for ${options.provider}`);
  const loadAtStart = loadavg()[0]!;
  const tier = profile.limited.tier;
  const sandbox = await startSandboxChild(options.provider, 100, options.seed, `${PUBLIC_URL}/crm/oauth/callback`);
  let fleet: Fleet | null = null;
  try {
    fleet = await startFleet({ databaseUrl: options.databaseUrl, provider: options.provider, sandbox, workers: options.workers });
    const all: Tenant[] = [];
    const phase = (name: string, total: number) => options.onPhase?.(name, total);
    const together = async (label: string, tenants: Tenant[], first?: Tenant) => {
      phase(label, tenants.reduce((sum, tenant) => sum + tenant.records, first?.records ?? 0));
      await sandbox.resetRequests();
      const usage = sampleUsage(fleet!, options.databaseUrl);
      const runs = await fleet!.syncTogether(tenants, { full: true, first, onProgress: options.onProgress });
      return { runs, usage: await usage.stop(), requests: await sandbox.requests() };
    };

    // Ceiling: one tenant alone, limits off — the pace this machine syncs at.
    phase('single tenant, limits off: connecting', 1);
    const single = await fleet.addTenant(options.records, 'off');
    all.push(single);
    const alone = await together('single tenant, limits off (ceiling)', [single]);
    const singleMs = msOf(alone.runs[0]!);
    const recordsPerSecond = (options.records * 1000) / singleMs;
    // The tier's numbers, read by putting the ceiling's account under it (it is done syncing).
    const limited = await sandbox.admin<LimitSettings>('PUT', `/_sandbox/accounts/${single.accountId}/limits`, { tier });
    const floorMs = rateLimitFloorMs(limited, alone.requests.byKind) ?? 0;

    // The fleet: every tenant requested at once.
    phase(`${options.tenants} tenants: connecting`, options.tenants);
    const tenants: Tenant[] = [];
    for (let i = 0; i < options.tenants; i++) {
      tenants.push(await fleet.addTenant(options.records, tier));
      options.onProgress?.(i + 1);
    }
    all.push(...tenants);
    const many = await together(`${options.tenants} tenants × ${options.records.toLocaleString('en')} together`, tenants);
    const perTenant = many.runs.map(msOf);
    const totalMs = Math.max(...many.runs.map((run) => run.completedAt)) - Math.min(...many.runs.map((run) => run.requestedAt));
    const allAtPaceMs = (options.tenants * options.records * 1000) / recordsPerSecond;
    const boundMs = Math.max(floorMs, allAtPaceMs);
    const windowLimit = limited.windowMax === null ? null : Math.floor((limited.windowMax * many.requests.accountWindowMs) / limited.windowMs);
    const accounts = new Set(tenants.map((tenant) => String(tenant.accountId)));
    const maxPerWindow = Math.max(0, ...Object.entries(many.requests.byAccount).filter(([id]) => accounts.has(id)).map(([, account]) => account.maxPerWindow));

    // Big first: small tenants alone, then as many others (same size, first syncs too) right after one big tenant's request.
    const bigFirstRuns: RunOutcome[] = [];
    let bigFirst: { alone: number[]; withBig: number[]; bigMs: number; bigStatus: string; usage: Usage[]; status429: number } | null = null;
    if (options.bigRecords > 0 && options.smallTenants > 0) {
      phase(`${2 * options.smallTenants} small tenants: connecting`, 2 * options.smallTenants);
      const small: Tenant[] = [];
      for (let i = 0; i < 2 * options.smallTenants; i++) {
        small.push(await fleet.addTenant(options.records, tier));
        options.onProgress?.(i + 1);
      }
      phase('big tenant: connecting (the emulator generates its records)', 1);
      const big = await fleet.addTenant(options.bigRecords, tier);
      all.push(...small, big);
      const smallAlone = await together(`${options.smallTenants} small tenants alone`, small.slice(0, options.smallTenants));
      const withBig = await together(`big tenant (${options.bigRecords.toLocaleString('en')}) first, then ${options.smallTenants} small`, small.slice(options.smallTenants), big);
      const bigRun = withBig.runs[0]!;
      bigFirst = {
        alone: smallAlone.runs.map(msOf), withBig: withBig.runs.slice(1).map(msOf), bigMs: msOf(bigRun), bigStatus: bigRun.status,
        usage: [smallAlone.usage, withBig.usage], status429: (smallAlone.requests.byStatus['429'] ?? 0) + (withBig.requests.byStatus['429'] ?? 0),
      };
      bigFirstRuns.push(...smallAlone.runs, ...withBig.runs);
    }

    phase(`equality check of ${all.length} tenants`, all.length);
    const differences: string[] = [];
    for (const [i, tenant] of all.entries()) {
      differences.push(...(await fleet.differences(tenant)).map((problem) => `tenant ${i + 1} (account ${tenant.accountId}): ${problem}`));
      options.onProgress?.(i + 1);
    }

    const failed = [...alone.runs, ...many.runs, ...bigFirstRuns].filter((run) => run.status !== 'success');
    const usages = [alone.usage, many.usage, ...(bigFirst?.usage ?? [])];
    const peakRssMb = Math.max(0, ...usages.flatMap((usage) => usage.peakRssMbByWorker));
    const p50 = percentile(perTenant, 0.5);
    const p95 = percentile(perTenant, 0.95);
    const status429 = many.requests.byStatus['429'] ?? 0;
    const mb = (value: number) => `${Math.round(value)} MB`;
    const count = (value: number) => value.toLocaleString('en');
    const targets: Target[] = [
      atMost(`${options.tenants} × ${count(options.records)} on ${options.workers} workers: total ≤ ${TOTAL_SLACK} × max(one tenant's rate-limit floor, all records at the single-run pace)`, totalMs, TOTAL_SLACK * boundMs, seconds,
        floorMs >= allAtPaceMs ? 'bound by the rate-limit floor' : 'bound by the single-run pace'),
      atMost('per-tenant time to finish: p95 ≤ 1.3 × p50', p95, SPREAD_SLACK * p50, seconds),
      atMost('429 answers', status429, 0, count),
      ...(windowLimit === null ? [] : [atMost(`most requests to one account in any ${many.requests.accountWindowMs / 1000} s`, maxPerWindow, windowLimit, count)]),
      atMost('runs not ended `success`, every part', failed.length, 0, count),
      atMost(`peak RSS of any worker, every part (no NODE_OPTIONS)`, peakRssMb, WORKER_RSS_LIMIT_MB, mb),
    ];
    if (bigFirst) {
      targets.push(
        atMost(`${options.smallTenants} small tenants after a ${count(options.bigRecords)} one: p50 ≤ ${BIG_FIRST_SLACK} × alone`, percentile(bigFirst.withBig, 0.5), BIG_FIRST_SLACK * percentile(bigFirst.alone, 0.5), seconds),
        atMost(`${options.smallTenants} small tenants after a ${count(options.bigRecords)} one: p95 ≤ ${BIG_FIRST_SLACK} × alone`, percentile(bigFirst.withBig, 0.95), BIG_FIRST_SLACK * percentile(bigFirst.alone, 0.95), seconds),
        atMost('429 answers in the big-first part', bigFirst.status429, 0, count),
      );
    }
    const figures = [
      { label: 'single tenant alone, limits off (ceiling)', value: `${seconds(singleMs)}, ${count(Math.round(recordsPerSecond))} records/s, ${count(alone.requests.total)} requests` },
      { label: `one tenant's rate-limit floor (${profile.limited.label})`, value: seconds(floorMs) },
      { label: `all ${count(options.tenants * options.records)} records at the single-run pace`, value: seconds(allAtPaceMs) },
      { label: 'total wall (first request → last run finished)', value: seconds(totalMs) },
      { label: 'per-tenant time to finish, p50 / p95 / max', value: `${seconds(p50)} / ${seconds(p95)} / ${seconds(Math.max(...perTenant))}` },
      { label: 'requests / 429 answers', value: `${count(many.requests.total)} / ${count(status429)}` },
      { label: 'most requests to one account in a window', value: windowLimit === null ? `${count(maxPerWindow)}` : `${count(maxPerWindow)} (limit ${count(windowLimit)} per ${many.requests.accountWindowMs / 1000} s)` },
      { label: 'peak RSS per worker (fleet part)', value: many.usage.peakRssMbByWorker.map(mb).join(', ') },
      { label: 'database connections, most at once (fleet part)', value: count(many.usage.maxConnections) },
    ];
    if (bigFirst) {
      figures.push(
        { label: `${options.smallTenants} small tenants alone, p50 / p95`, value: `${seconds(percentile(bigFirst.alone, 0.5))} / ${seconds(percentile(bigFirst.alone, 0.95))}` },
        { label: `${options.smallTenants} others right after the big tenant's request, p50 / p95`, value: `${seconds(percentile(bigFirst.withBig, 0.5))} / ${seconds(percentile(bigFirst.withBig, 0.95))}` },
        { label: `big tenant (${count(options.bigRecords)})`, value: `${seconds(bigFirst.bigMs)} (${bigFirst.bigStatus})` },
      );
    }
    return {
      scenario: 'tenants',
      provider: options.provider,
      name: `${options.provider}-tenants-${options.tenants}x${options.records}`,
      title: `${options.tenants} tenants × ${count(options.records)} records on ${options.workers} workers${bigFirst ? `, then ${count(options.bigRecords)} first with ${options.smallTenants} small` : ''}`,
      date: new Date().toISOString().slice(0, 10),
      machine: await machineOf(options.databaseUrl, loadAtStart),
      options: { tenants: options.tenants, records: options.records, workers: options.workers, bigRecords: options.bigRecords, smallTenants: options.smallTenants, tier, seed: options.seed },
      targets,
      figures,
      equal: differences.length === 0,
      differences: differences.slice(0, 50),
      data: {
        ceiling: { records: options.records, wallMs: singleMs, recordsPerSecond, requests: alone.requests.total, requestsByKind: alone.requests.byKind, rateLimitFloorMs: floorMs, limits: limited },
        fleet: {
          totalMs, boundMs, allAtPaceMs, perTenantMs: perTenant, p50Ms: p50, p95Ms: p95, requests: many.requests.total, byStatus: many.requests.byStatus,
          maxRequestsPerAccountWindow: maxPerWindow, windowLimit, windowMs: many.requests.accountWindowMs, ...many.usage, statuses: many.runs.map((run) => run.status),
        },
        bigFirst: bigFirst && {
          aloneMs: bigFirst.alone, withBigMs: bigFirst.withBig, bigMs: bigFirst.bigMs, bigStatus: bigFirst.bigStatus,
          aloneUsage: bigFirst.usage[0], withBigUsage: bigFirst.usage[1], status429: bigFirst.status429,
        },
        peakRssMb,
        failedRuns: failed.map((run) => ({ logId: run.logId, status: run.status, errorMessage: run.errorMessage })),
      },
      notes: notes(options, { floorMs, allAtPaceMs, totalMs, bigFirst: bigFirst !== null }),
    };
  } finally {
    await fleet?.close();
    await sandbox.close();
  }
}

function notes(options: TenantsOptions, figures: { floorMs: number; allAtPaceMs: number; totalMs: number; bigFirst: boolean }): string[] {
  const out = [
    `Each tenant is a user of its own with its own emulator account under the limited tier, connected through the OAuth flow; the runs are requested at once by the bench process (the API server's part) and served by ${options.workers} \`pulse-crm worker\` processes started as deployed: no NODE_OPTIONS, the product's default runs per process.`,
    `Per-tenant time runs from the run's log being opened (its request) to its completion, both read from \`crm_sync_logs\` (the database's clock). Total wall runs from the first request to the last completion.`,
    `What bounds the total: no tenant can finish before its account's limit allows its requests (${seconds(figures.floorMs)}: the single run's requests at the tier's window rate), and the machine cannot write all records faster than one tenant alone with limits off (${seconds(figures.allAtPaceMs)}); the larger of the two is the bound, ${figures.floorMs >= figures.allAtPaceMs ? 'here the floor' : 'here the pace'}. The emulator, PostgreSQL, the workers and the bench share the same cores, so the pace ceiling is measured under the same sharing; at ${options.records.toLocaleString('en')} records a run's fixed costs (its claim, first requests, last commit) are part of that pace, as they are of every tenant's run.`,
    'Tenants are connected with their schedule at its longest (a day), so only the runs the bench requests happen.',
    'Requests and 429 answers are counted by the emulator; the most requests per account in a window comes from its exact rolling log of each account\'s requests that were not refused.',
    'Peak RSS is each worker\'s process tree (its supervisor and the capped worker), a high-water mark sampled every 250 ms; database connections are the most rows of `pg_stat_activity` for the bench database at any sample, the bench process\'s own pool included.',
  ];
  if (figures.bigFirst) out.push('Big first: one set of small tenants is synced alone; then the big tenant is requested and another set of small tenants of the same size (on accounts of their own, also first syncs) right after; their p50 and p95 are compared. The big tenant\'s own time ends the part, so it waits for the big one.');
  return out;
}
