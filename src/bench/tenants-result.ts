import type { RequestCounts } from '../sandbox/core/request-counter.js';
import type { LimitSettings } from '../sandbox/core/store.js';
import { percentile, runMs, type RunOutcome, type Usage } from './fleet.js';
import { atMost, seconds, WORKER_RSS_LIMIT_MB, type FleetResult } from './fleet-result.js';
import type { Target } from './run.js';
import type { TenantsOptions } from './tenants.js';

/**
 * The many-tenant scenario's figures against its targets, from the issue: total ≤ 1.3 × max(one
 * tenant's rate-limit floor, all records at the single-run pace); p95 ≤ 1.3 × p50; no 429 and no
 * account past its window's limit; every run a success; each worker ≤ 300 MB; small tenants after a
 * big one within 1.5× of small ones alone.
 */
export interface TenantsPart { runs: RunOutcome[]; usage: Usage; requests: RequestCounts }

export interface TenantsMeasurement {
  /** One tenant synced alone with limits off, and the tier's floor for its requests. */
  ceiling: TenantsPart & { ms: number; recordsPerSecond: number; floorMs: number; limits: LimitSettings };
  fleet: TenantsPart;
  bigFirst: { alone: TenantsPart; withBig: TenantsPart } | null;
  differences: string[];
  machine: FleetResult['machine'];
}

const TOTAL_SLACK = 1.3;
const SPREAD_SLACK = 1.3;
const BIG_FIRST_SLACK = 1.5;

const count = (value: number) => value.toLocaleString('en');
const mb = (value: number) => `${Math.round(value)} MB`;
const status429 = (part: TenantsPart) => part.requests.byStatus['429'] ?? 0;

export function tenantsResult(options: TenantsOptions, limitedLabel: string, m: TenantsMeasurement): FleetResult {
  const { ceiling, fleet, bigFirst } = m;
  const perTenant = fleet.runs.map(runMs);
  const totalMs = Math.max(...fleet.runs.map((run) => run.completedAt)) - Math.min(...fleet.runs.map((run) => run.requestedAt));
  const allAtPaceMs = (options.tenants * options.records * 1000) / ceiling.recordsPerSecond;
  const boundMs = Math.max(ceiling.floorMs, allAtPaceMs);
  const windowMs = fleet.requests.accountWindowMs;
  const windowLimit = ceiling.limits.windowMax === null ? null : Math.floor((ceiling.limits.windowMax * windowMs) / ceiling.limits.windowMs);
  // The counts were reset before the fleet's requests: every account in them is a fleet tenant's.
  const maxPerWindow = Math.max(0, ...Object.values(fleet.requests.byAccount).map((account) => account.maxPerWindow));
  const parts = [ceiling, fleet, ...(bigFirst ? [bigFirst.alone, bigFirst.withBig] : [])];
  const failed = parts.flatMap((part) => part.runs).filter((run) => run.status !== 'success');
  const peakRssMb = Math.max(0, ...parts.flatMap((part) => part.usage.peakRssMbByWorker));
  const p50 = percentile(perTenant, 0.5);
  const p95 = percentile(perTenant, 0.95);
  const small = bigFirst && { alone: bigFirst.alone.runs.map(runMs), withBig: bigFirst.withBig.runs.slice(1).map(runMs), big: bigFirst.withBig.runs[0]! };

  const targets: Target[] = [
    atMost(`${options.tenants} × ${count(options.records)} on ${options.workers} workers: total ≤ ${TOTAL_SLACK} × max(one tenant's rate-limit floor, all records at the single-run pace)`, totalMs, TOTAL_SLACK * boundMs, seconds,
      ceiling.floorMs >= allAtPaceMs ? 'bound by the rate-limit floor' : 'bound by the single-run pace'),
    atMost(`per-tenant time to finish: p95 ≤ ${SPREAD_SLACK} × p50`, p95, SPREAD_SLACK * p50, seconds),
    atMost('429 answers', status429(fleet), 0, count),
    ...(windowLimit === null ? [] : [atMost(`most requests to one account in any ${windowMs / 1000} s`, maxPerWindow, windowLimit, count)]),
    atMost('runs not ended `success`, every part', failed.length, 0, count),
    atMost('peak RSS of any worker, every part (no NODE_OPTIONS)', peakRssMb, WORKER_RSS_LIMIT_MB, mb),
  ];
  const figures = [
    { label: 'single tenant alone, limits off (ceiling)', value: `${seconds(ceiling.ms)}, ${count(Math.round(ceiling.recordsPerSecond))} records/s, ${count(ceiling.requests.total)} requests` },
    { label: `one tenant's rate-limit floor (${limitedLabel})`, value: seconds(ceiling.floorMs) },
    { label: `all ${count(options.tenants * options.records)} records at the single-run pace`, value: seconds(allAtPaceMs) },
    { label: 'total wall (first request → last run finished)', value: seconds(totalMs) },
    { label: 'per-tenant time to finish, p50 / p95 / max', value: `${seconds(p50)} / ${seconds(p95)} / ${seconds(Math.max(...perTenant))}` },
    { label: 'requests / 429 answers', value: `${count(fleet.requests.total)} / ${count(status429(fleet))}` },
    { label: 'most requests to one account in a window', value: windowLimit === null ? count(maxPerWindow) : `${count(maxPerWindow)} (limit ${count(windowLimit)} per ${windowMs / 1000} s)` },
    { label: 'peak RSS per worker (fleet part)', value: fleet.usage.peakRssMbByWorker.map(mb).join(', ') },
    { label: 'database connections, most at once (fleet part)', value: count(fleet.usage.maxConnections) },
  ];
  if (bigFirst && small) {
    const after = `${options.smallTenants} small tenants after a ${count(options.bigRecords)} one`;
    targets.push(
      atMost(`${after}: p50 ≤ ${BIG_FIRST_SLACK} × alone`, percentile(small.withBig, 0.5), BIG_FIRST_SLACK * percentile(small.alone, 0.5), seconds),
      atMost(`${after}: p95 ≤ ${BIG_FIRST_SLACK} × alone`, percentile(small.withBig, 0.95), BIG_FIRST_SLACK * percentile(small.alone, 0.95), seconds),
      atMost('429 answers in the big-first part', status429(bigFirst.alone) + status429(bigFirst.withBig), 0, count),
    );
    figures.push(
      { label: `${options.smallTenants} small tenants alone, p50 / p95`, value: `${seconds(percentile(small.alone, 0.5))} / ${seconds(percentile(small.alone, 0.95))}` },
      { label: `${options.smallTenants} others right after the big tenant's request, p50 / p95`, value: `${seconds(percentile(small.withBig, 0.5))} / ${seconds(percentile(small.withBig, 0.95))}` },
      { label: `big tenant (${count(options.bigRecords)})`, value: `${seconds(runMs(small.big))} (${small.big.status})` },
    );
  }
  return {
    scenario: 'tenants',
    provider: options.provider,
    name: `${options.provider}-tenants-${options.tenants}x${options.records}`,
    title: `${options.tenants} tenants × ${count(options.records)} records on ${options.workers} workers${bigFirst ? `, then ${count(options.bigRecords)} first with ${options.smallTenants} small` : ''}`,
    date: new Date().toISOString().slice(0, 10),
    machine: m.machine,
    options: { tenants: options.tenants, records: options.records, workers: options.workers, bigRecords: options.bigRecords, smallTenants: options.smallTenants, tier: ceiling.limits.tier, seed: options.seed },
    targets,
    figures,
    equal: m.differences.length === 0,
    differences: m.differences.slice(0, 50),
    data: {
      ceiling: { records: options.records, wallMs: ceiling.ms, recordsPerSecond: ceiling.recordsPerSecond, requests: ceiling.requests.total, requestsByKind: ceiling.requests.byKind, rateLimitFloorMs: ceiling.floorMs, limits: ceiling.limits },
      fleet: {
        totalMs, boundMs, allAtPaceMs, perTenantMs: perTenant, p50Ms: p50, p95Ms: p95, requests: fleet.requests.total, byStatus: fleet.requests.byStatus,
        maxRequestsPerAccountWindow: maxPerWindow, windowLimit, windowMs, ...fleet.usage, statuses: fleet.runs.map((run) => run.status),
      },
      bigFirst: small && {
        aloneMs: small.alone, withBigMs: small.withBig, bigMs: runMs(small.big), bigStatus: small.big.status,
        aloneUsage: bigFirst!.alone.usage, withBigUsage: bigFirst!.withBig.usage, status429: status429(bigFirst!.alone) + status429(bigFirst!.withBig),
      },
      peakRssMb,
      failedRuns: failed.map((run) => ({ logId: run.logId, status: run.status, errorMessage: run.errorMessage })),
    },
    notes: notes(options, { floorMs: ceiling.floorMs, allAtPaceMs, bigFirst: bigFirst !== null }),
  };
}
function notes(options: TenantsOptions, figures: { floorMs: number; allAtPaceMs: number; bigFirst: boolean }): string[] {
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
