import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runArchiveBench } from '../../src/bench/archive.js';
import { runCrashesBench } from '../../src/bench/crashes.js';
import { runEmbeddedBench } from '../../src/bench/embedded.js';
import { runFilterBench } from '../../src/bench/filter.js';
import type { FleetResult } from '../../src/bench/fleet-result.js';
import { writeFleetReport } from '../../src/bench/report.js';
import { runRealtimeBench, writeRealtimeReport } from '../../src/bench/realtime.js';
import { runTenantsBench } from '../../src/bench/tenants.js';
import { runCli } from '../helpers/process.js';

/**
 * `pulse-crm bench --scenario tenants|crashes|realtime|archive|filter` end to end at tiny sizes, on the PostgreSQL server
 * (separate worker processes need one): the scenarios run, every tenant ends equal to its emulator
 * account, the counts are exact and the reports carry every target. Nothing here asserts speed:
 * figures on a shared test machine mean nothing; the lead runs the real sizes on a quiet machine.
 */
const databaseUrl = process.env.PULSE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function expectReport(result: FleetResult) {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-scenarios-'));
  try {
    const paths = writeFleetReport(result, dir);
    expect(paths.markdown).toMatch(new RegExp(`${result.date}-hubspot-${result.scenario}-[0-9x]+\\.md$`));
    expect(JSON.parse(readFileSync(paths.json, 'utf8'))).toMatchObject({ scenario: result.scenario, equal: true });
    const markdown = readFileSync(paths.markdown, 'utf8');
    expect(markdown).toContain('| target | measured | limit | ratio | met |');
    for (const target of result.targets) expect(markdown).toContain(`| ${target.name} |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('bench scenarios at tiny sizes', () => {
  it('tenants: runs together under the OAuth-app limit, with ceilings, big-first part, and every tenant equal', async () => {
    const result = await runTenantsBench({ provider: 'hubspot', databaseUrl, tenants: 3, records: 300, workers: 2, bigRecords: 2000, smallTenants: 2, seed: 5 });
    expect(result.differences).toEqual([]);
    expect(result.equal).toBe(true);
    const data = result.data as any;
    expect(data.fleet.perTenantMs).toHaveLength(3);
    expect(data.fleet.statuses).toEqual(['success', 'success', 'success']);
    expect(data.fleet.maxConnections).toBeGreaterThan(0);
    expect(data.fleet.peakRssMbByWorker).toHaveLength(2);
    expect(data.fleet.maxRequestsPerAccountWindow).toBeGreaterThan(0);
    expect(data.ceiling.recordsPerSecond).toBeGreaterThan(0);
    expect(data.ceiling.rateLimitFloorMs).toBeGreaterThan(0);
    expect(data.bigFirst.aloneMs).toHaveLength(2);
    expect(data.bigFirst.withBigMs).toHaveLength(2);
    expect(result.targets.map((t) => t.name)).toEqual([
      expect.stringMatching(/^3 × 300 on 2 workers: total ≤ 1.3 × max/), expect.stringMatching(/p95 ≤ 1.3 × p50/), '429 answers',
      expect.stringMatching(/most requests to one account in any 10 s/), 'runs not ended `success`, every part', expect.stringMatching(/peak RSS/),
      expect.stringMatching(/p50 ≤ 1.5 × alone/), expect.stringMatching(/p95 ≤ 1.5 × alone/), '429 answers in the big-first part',
    ]);
    expectReport(result);
  }, 60_000);

  it('crashes: kills the run\'s worker at spread points, the run resumes, never fails, and ends with exact counts', async () => {
    const result = await runCrashesBench({ provider: 'hubspot', databaseUrl, contacts: 4000, kills: 2, workers: 2, heartbeatTimeoutMs: 2000, schedulerTickMs: 500, seed: 5 });
    const data = result.data as any;
    expect(result.differences).toEqual([]);
    expect(data.status).toBe('success');
    expect(data.failedRuns).toBe(0);
    expect(data.kills).toHaveLength(2);
    for (const kill of data.kills) expect(kill.resumeMs).toBeGreaterThan(0);
    expect(new Set(data.kills.map((kill: any) => kill.killedPid)).size).toBe(2);
    expect(data.byObject).toEqual(data.rows);
    expect(data.rows).toEqual(data.expected);
    expect(data.recordsSynced).toBe(Math.round(4000 / 0.7));
    expect(result.targets.find((t) => t.name.startsWith('counts exact'))?.met).toBe(true);
    expectReport(result);
  }, 60_000);

  // HubSpot as the emulator subscribes itself; Salesforce as a person sets it up by hand (the set-up step's address).
  it.each(['hubspot', 'salesforce'] as const)('realtime (%s): edits in the CRM reach the data API through pushed changes, every one seen, and Pulse ends equal', async (provider) => {
    const result = await runRealtimeBench({ provider, databaseUrl, records: 300, changes: 5, intervalMs: 100, seed: 5 });
    expect(result.differences).toEqual([]);
    expect(result.unseen).toBe(0);
    expect(result.webhookRuns).toBeGreaterThan(0);
    expect(result.pollRequests).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-realtime-'));
    try {
      const markdown = readFileSync(`${writeRealtimeReport(result, dir)}.md`, 'utf8');
      expect(markdown).toContain('| latency p50 / p95 / max |');
      expect(markdown).toContain('polling as fresh');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('archive: the scheduled incremental reads none of the archive, the one with a sweep due pages it all, and Pulse ends equal', async () => {
    const result = await runArchiveBench({ provider: 'hubspot', databaseUrl, records: 700, archived: 450, changes: 40, seed: 5 });
    const data = result.data as any;
    expect(result.differences).toEqual([]);
    expect(data.archivedByObject).toEqual({ contacts: 315, companies: 45, deals: 90 });
    expect(data.scheduled.byKind.list ?? 0).toBe(0);
    expect(data.scheduled.byKind.search).toBeGreaterThan(0);
    // Every archived page of each object (100 a page), the second round's deletions included.
    expect(data.swept.byKind.list).toBeGreaterThanOrEqual(4 + 1 + 1);
    expect(data.swept.requests).toBeGreaterThan(data.scheduled.requests);
    // The first round's deletions wait for the sweep: 7 contacts, 1 company, 2 deals.
    expect(data.waiting).toBe(10);
    expect(result.targets.map((t) => t.name)).toEqual([
      expect.stringMatching(/no sweep due: wall time$/), expect.stringMatching(/no sweep due: requests$/), expect.stringMatching(/^equal to the emulator after the sweep/),
    ]);
    expectReport(result);
  }, 90_000);

  it('filter: the filtered full sync searches only the marked records (no listing), spends fewer requests, and Pulse holds exactly them', async () => {
    const result = await runFilterBench({ provider: 'hubspot', databaseUrl, records: 700, seed: 5 });
    const data = result.data as any;
    expect(result.differences).toEqual([]);
    expect(data.marked).toEqual({ contacts: 49, companies: 7, deals: 14 });
    expect(data.pushed).toEqual(['contacts', 'companies', 'deals']);
    expect(data.filtered.byKind.list ?? 0).toBe(0);
    expect(data.filtered.requests).toBeLessThan(data.unfiltered.requests);
    expect(result.targets.map((t) => t.name)).toEqual([expect.stringMatching(/share of the unfiltered/), 'Pulse holds exactly the matching records']);
    expectReport(result);
  }, 90_000);

  it('embedded: the real `pulse-crm start` on PGlite connects over HTTP, syncs, serves concurrent clients, and its memory is measured phase by phase', async () => {
    const result = await runEmbeddedBench({ provider: 'hubspot', records: 300, clients: 5, clientSeconds: 2 });
    const data = result.data as any;
    expect(result.differences).toEqual([]);
    expect(data.log).toMatchObject({ syncType: 'full', status: 'success', recordsSynced: 300 });
    expect(data.counts).toEqual({ contacts: 210, companies: 30, deals: 60 });
    expect(data.load.requests).toBeGreaterThan(5);
    expect(data.load.failures).toBe(0);
    for (const phase of [data.idle, data.sync, data.after, data.clients]) {
      // The supervisor and its capped child, each a whole Node: far above one process's few MB.
      expect(phase.peakRssMb).toBeGreaterThan(60);
      expect(phase.peakRssMb).toBeGreaterThanOrEqual(phase.lastRssMb);
    }
    // Where it goes, from the product's own memory log: the V8 heap and PGlite's WASM memory.
    expect(data.idle.samples).toBeGreaterThan(0);
    expect(data.after.maxHeapUsedMb).toBeGreaterThan(0);
    expect(data.after.maxWasmMb).toBeGreaterThan(0);
    expect(result.targets.map((t) => t.name)).toEqual([
      'RSS after a 300-record sync (settled)', 'peak RSS under 5 concurrent API clients', 'peak RSS during the 300-record sync',
    ]);
    expectReport(result);
  }, 120_000);

  it('refuses to run a fleet scenario without a PostgreSQL server', async () => {
    const cli = runCli(['bench', '--scenario', 'tenants'], { DATABASE_URL: '' });
    const code = await cli.exited;
    expect(code).toBe(2);
    expect(cli.output()).toMatch(/needs DATABASE_URL set to a PostgreSQL server/);
  }, 30_000);
});
