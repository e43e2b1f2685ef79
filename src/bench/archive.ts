import { loadavg } from 'node:os';
import { moduleFor } from '../crm/modules.js';
import { deletionModeOf } from '../crm/connector-module.js';
import { objectTypes, type ObjectType, type PlatformId } from '../crm/platforms.js';
import { asSystem } from '../db/tenant.js';
import { makeChanges } from './changes.js';
import { PUBLIC_URL, startPulse } from './context.js';
import { differences } from './equality.js';
import { atMost, machineOf, seconds, type FleetResult } from './fleet-result.js';
import { measureSync, type MeasuredSync } from './measure-sync.js';
import { ndjson } from './ndjson.js';
import type { Target } from './run.js';
import { startSandboxChild, type SandboxChild } from './sandbox-child.js';

/**
 * `pulse-crm bench --scenario archive`: an incremental sync's cost against an account whose archive
 * dwarfs its changes (issue 18, item 5). The emulator seeds `records`, of which `archived` are then
 * deleted in the CRM (in each object's share); a full sync; `changes` edits (as the sync scenario
 * makes them); then the incremental as the schedule runs it, with no sweep of the archive due: its
 * wall time and requests are the target. For comparison in the same run, `changes` more edits and the
 * same incremental with a sweep due (what every incremental cost before sweeps had a schedule); after
 * it Pulse must equal the emulator, the deletions of both rounds included.
 */
export interface ArchiveOptions {
  provider: PlatformId;
  databaseUrl: string;
  /** Records the emulator generates (70 % contacts, 10 % companies, 20 % deals), archived included. */
  records: number;
  archived: number;
  changes: number;
  seed: number;
  onPhase?(phase: string, total: number): void;
  onProgress?(value: number): void;
}

/** Issue 18's target for an incremental of 1,000 changes over 100k archived records. */
export const ARCHIVE_TARGET = { wallMs: 2_000, requests: 15 };
/** Deletions made in the CRM at once: setup, not measured. */
const SETUP_CONCURRENCY = 16;

export async function runArchiveBench(options: ArchiveOptions): Promise<FleetResult> {
  if (options.archived >= options.records) throw new Error(`--archived (${options.archived}) must be fewer than --records (${options.records})`);
  const loadAtStart = loadavg()[0]!;
  const module = moduleFor(options.provider);
  const listsDeletions = (object: ObjectType) => deletionModeOf(module, object) !== 'notified';
  const phase = (name: string, total: number) => options.onPhase?.(name, total);

  phase(`emulator with ${options.records.toLocaleString('en')} records`, 1);
  const sandbox = await startSandboxChild(options.provider, options.records, options.seed, `${PUBLIC_URL}/crm/oauth/callback`);
  try {
    phase(`archiving ${options.archived.toLocaleString('en')} of them in the CRM`, options.archived);
    const archivedByObject = await archive(sandbox, options.records, options.archived, listsDeletions, options.onProgress);
    // Pulse as configured by default: the sweep's schedule is what is measured.
    const pulse = await startPulse({ kind: 'postgres', url: options.databaseUrl }, options.provider, sandbox.url);
    try {
      phase('full sync', options.records - options.archived);
      const full = await measureSync(pulse, true, options.onProgress);
      if (full.log.status !== 'success') throw new Error(`the full sync ended ${full.log.status}: ${full.log.errorMessage}`);

      phase(`${options.changes} changes in the CRM`, 1);
      const firstChanges = await makeChanges(sandbox, options.changes, options.seed, listsDeletions);
      await sandbox.resetRequests();
      phase('incremental sync, no sweep due', options.changes);
      const scheduled = await measureSync(pulse, false, options.onProgress);
      const scheduledSpent = await sandbox.requests();
      if (scheduled.log.status !== 'success') throw new Error(`the incremental sync ended ${scheduled.log.status}: ${scheduled.log.errorMessage}`);
      const waiting = await deletionsWaiting(sandbox, pulse.ctx.db.pool, pulse.integrationId);

      phase(`${options.changes} more changes in the CRM`, 1);
      const secondChanges = await makeChanges(sandbox, options.changes, options.seed + 1, listsDeletions);
      // As if the sweep's interval had passed since the full sync checked deletions: the clock the schedule reads.
      const minutes = pulse.ctx.config.PULSE_ARCHIVE_SWEEP_MINUTES + 1;
      await asSystem(pulse.ctx.db.pool, (tx) => tx.query(
        'UPDATE crm_sync_state SET deletions_checked_at = deletions_checked_at - make_interval(mins => $2) WHERE integration_id = $1', [pulse.integrationId, minutes]));
      await sandbox.resetRequests();
      phase('incremental sync, sweep due', options.changes);
      const swept = await measureSync(pulse, false, options.onProgress);
      const sweptSpent = await sandbox.requests();
      if (swept.log.status !== 'success') throw new Error(`the incremental sync with a sweep ended ${swept.log.status}: ${swept.log.errorMessage}`);

      phase('equality', 1);
      const found = await differences(pulse, sandbox.url, 50);
      return result(options, loadAtStart, module.deletedListing, {
        archivedByObject, full, scheduled, scheduledSpent, swept, sweptSpent, waiting, found, changes: { first: firstChanges, second: secondChanges },
      });
    } finally {
      await pulse.close();
    }
  } finally {
    await sandbox.close();
  }
}

/** Deletes `archived` records in the CRM, each object its share of the generated records, spread over the export. */
async function archive(
  sandbox: SandboxChild, records: number, archived: number, listsDeletions: (object: ObjectType) => boolean, onProgress?: (value: number) => void,
): Promise<Record<ObjectType, number>> {
  const ids: [ObjectType, string][] = [];
  const byObject = { contacts: 0, companies: 0, deals: 0 } as Record<ObjectType, number>;
  const live = await liveIds(sandbox);
  // Objects whose deletions the CRM does not list (pushed only) keep theirs: their archive costs nothing.
  const listed = objectTypes.filter(listsDeletions);
  const total = listed.reduce((sum, object) => sum + live[object].length, 0);
  let assigned = 0;
  for (const [i, object] of listed.entries()) {
    const share = i === listed.length - 1 ? archived - assigned : Math.round((archived * live[object].length) / total);
    const count = Math.min(share, live[object].length - 1);
    assigned += count;
    byObject[object] = count;
    // Every n-th record: archived ones spread over the whole id range, as an old account's are.
    const step = live[object].length / count;
    for (let n = 0; n < count; n++) ids.push([object, live[object][Math.floor(n * step)]!]);
  }
  if (assigned < archived) throw new Error(`${records} records leave too few to archive ${archived}`);
  let next = 0;
  let done = 0;
  await Promise.all(Array.from({ length: SETUP_CONCURRENCY }, async () => {
    while (next < ids.length) {
      const [object, id] = ids[next++]!;
      await sandbox.admin('DELETE', `/_sandbox/records/${object}/${encodeURIComponent(id)}`);
      if (++done % 500 === 0) onProgress?.(done);
    }
  }));
  return byObject;
}

async function liveIds(sandbox: SandboxChild): Promise<Record<ObjectType, string[]>> {
  const result = { contacts: [], companies: [], deals: [] } as Record<ObjectType, string[]>;
  for (const object of objectTypes) {
    for await (const record of ndjson(`${sandbox.url}/_sandbox/records/${object}?archived=false`)) result[object].push(String(record.id));
  }
  return result;
}

/** Records live in Pulse but deleted in the CRM: deletions that wait for the next sweep. */
async function deletionsWaiting(sandbox: SandboxChild, pool: import('pg').Pool, integrationId: string): Promise<number> {
  const live = await liveIds(sandbox);
  let waiting = 0;
  for (const object of objectTypes) {
    const { rows } = await asSystem(pool, (tx) => tx.query(`SELECT count(*)::int AS n FROM crm_${object} WHERE integration_id = $1 AND deleted_at IS NULL`, [integrationId]));
    waiting += Math.max(0, rows[0].n - live[object].length);
  }
  return waiting;
}

interface Measured {
  archivedByObject: Record<ObjectType, number>;
  full: MeasuredSync;
  scheduled: MeasuredSync;
  scheduledSpent: { total: number; byKind: Record<string, number> };
  swept: MeasuredSync;
  sweptSpent: { total: number; byKind: Record<string, number> };
  waiting: number;
  found: string[];
  changes: { first: unknown; second: unknown };
}

async function result(options: ArchiveOptions, loadAtStart: number, deletedListing: string, m: Measured): Promise<FleetResult> {
  const count = (value: number) => value.toLocaleString('en');
  const kinds = (byKind: Record<string, number>) => Object.entries(byKind).map(([kind, n]) => `${kind} ${count(n)}`).join(', ') || '–';
  const scale = `${count(options.changes)} changes, ${count(options.archived)} archived`;
  const targets: Target[] = [
    atMost(`incremental of ${scale}, no sweep due: wall time`, m.scheduled.wallMs, ARCHIVE_TARGET.wallMs, seconds),
    atMost(`incremental of ${scale}, no sweep due: requests`, m.scheduledSpent.total, ARCHIVE_TARGET.requests, count),
    { name: 'equal to the emulator after the sweep (both rounds\' deletions)', measured: m.found.length ? `${m.found.length} differences` : 'equal', limit: 'equal', ratio: null, met: m.found.length === 0 },
  ];
  return {
    scenario: 'archive',
    provider: options.provider,
    name: `${options.provider}-archive-${options.archived}`,
    title: `incremental of ${scale} (${count(options.records)} records generated)`,
    date: new Date().toISOString().slice(0, 10),
    machine: await machineOf(options.databaseUrl, loadAtStart),
    options: { records: options.records, archived: options.archived, changes: options.changes, seed: options.seed, deletedListing },
    targets,
    figures: [
      { label: 'archived in the CRM, by object', value: objectTypes.map((object) => `${object} ${count(m.archivedByObject[object])}`).join(', ') },
      { label: 'full sync (live records)', value: `${seconds(m.full.wallMs)}, ${count(m.full.log.recordsSynced)} records` },
      { label: 'incremental, no sweep due: wall / requests', value: `${seconds(m.scheduled.wallMs)} / ${count(m.scheduledSpent.total)} (${kinds(m.scheduledSpent.byKind)})` },
      { label: 'deletions waiting for the next sweep after it', value: count(m.waiting) },
      { label: 'same incremental with a sweep due (the baseline: every run before): wall / requests', value: `${seconds(m.swept.wallMs)} / ${count(m.sweptSpent.total)} (${kinds(m.sweptSpent.byKind)})` },
      { label: 'sweep due ÷ no sweep, wall / requests', value: `${(m.swept.wallMs / m.scheduled.wallMs).toFixed(1)}× / ${(m.sweptSpent.total / Math.max(1, m.scheduledSpent.total)).toFixed(1)}×` },
    ],
    equal: m.found.length === 0,
    differences: m.found,
    data: {
      archivedByObject: m.archivedByObject, changes: m.changes, waiting: m.waiting,
      full: { wallMs: m.full.wallMs, records: m.full.log.recordsSynced },
      scheduled: { wallMs: m.scheduled.wallMs, requests: m.scheduledSpent.total, byKind: m.scheduledSpent.byKind, recordsSynced: m.scheduled.log.recordsSynced },
      swept: { wallMs: m.swept.wallMs, requests: m.sweptSpent.total, byKind: m.sweptSpent.byKind, recordsSynced: m.swept.log.recordsSynced },
    },
    notes: [
      `Pulse as deployed: PostgreSQL server, one \`pulse-crm worker\` process with the product's defaults (PULSE_ARCHIVE_SWEEP_MINUTES 60); the emulator in its own process without rate limits. This CRM's deleted listing: \`${deletedListing}\`${deletedListing === 'filtered' ? ' (read "since" the last check at every run, so both incrementals read it and the comparison shows no sweep to save)' : ''}.`,
      'Wall time runs from the sync request to the finished run log, as a user waits for it; requests are every request the emulator answered meanwhile.',
      'The first incremental follows the full sync, which checked deletions itself (what a full listing does not see is gone), so no sweep is due: it reads the changes (search) and the new records\' links, whatever the archive\'s size. What bounds it: a few search pages (200 records each, the search API\'s own rate limit) and the association reads.',
      'The second incremental is the same work with the sweep made due (the state\'s last check of deletions moved back by the interval): it also pages the whole archive, 100 records a request, one request after the other per object. Its figure is what every incremental cost before the sweep had a schedule.',
      `Deletions made in the CRM before the first incremental are not in Pulse until the next due sweep (the count above), or within seconds where deletion webhooks arrive; the equality check after the sweep shows every one arrived.`,
    ],
  };
}
