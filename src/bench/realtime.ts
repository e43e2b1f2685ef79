import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { moduleFor } from '../crm/modules.js';
import type { PlatformId } from '../crm/platforms.js';
import { DEMO_SUB } from '../server/auth.js';
import { buildApp } from '../server/app.js';
import { PUBLIC_URL, startPulse } from './context.js';
import { differences } from './equality.js';
import { ndjson } from './ndjson.js';
import { setUpManualWebhooks } from './manual-webhooks.js';
import { startSandboxChild } from './sandbox-child.js';

/**
 * `pulse-crm bench --scenario realtime --provider <id>`: how soon a change made in the CRM can be read
 * from Pulse's data API when the CRM pushes it, and what that costs in CRM requests next to polling
 * for the same freshness. Pulse as deployed (PostgreSQL server, a `pulse-crm worker` process, the API
 * server taking the emulator's deliveries at PUBLIC_URL), the emulator wired to it as `npm start`
 * wires its own. After a full sync, contacts' job titles are edited in the CRM one at a time, `intervalMs` apart;
 * each edit's latency runs from the edit's answer to the first data API page (GET /api/contacts,
 * updatedSince) that holds the record changed. Polling's cost: an incremental sync with nothing to
 * find, measured in the same run, once per p95 latency over the same span (the rate a poller needs to
 * be as fresh), and once per 15 minutes (the default schedule).
 */
export interface RealtimeOptions {
  provider: PlatformId;
  databaseUrl: string;
  records: number;
  changes: number;
  intervalMs: number;
  seed: number;
  onPhase?(phase: string, total: number): void;
  onProgress?(value: number): void;
}

export interface RealtimeResult {
  provider: PlatformId;
  date: string;
  machine: { cpus: number; node: string };
  records: number;
  changes: number;
  intervalMs: number;
  latencyMs: { p50: number; p95: number; max: number };
  /** Edits not seen within the wait (counted at the wait as their latency). */
  unseen: number;
  spanMs: number;
  pushedRequests: number;
  webhookRuns: number;
  pollRequests: number;
  pollingRequests: { sameFreshness: number; everyFifteenMinutes: number };
  equal: boolean;
  differences: string[];
}

const SEEN_WAIT_MS = 30_000;
const WATCH_EVERY_MS = 25;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

export async function runRealtimeBench(options: RealtimeOptions): Promise<RealtimeResult> {
  const port = Number(new URL(PUBLIC_URL).port);
  options.onPhase?.('emulator and Pulse', 1);
  const sandbox = await startSandboxChild(options.provider, options.records, options.seed, `${PUBLIC_URL}/crm/oauth/callback`, PUBLIC_URL);
  // The local demo user owns the integration: the bench reads it back through the API as that user.
  const pulse = await startPulse({ kind: 'postgres', url: options.databaseUrl }, options.provider, sandbox.url, { sub: DEMO_SUB, pushes: true });
  const app = await buildApp(pulse.ctx, { serveWeb: false });
  await app.listen({ port, host: '127.0.0.1' });
  try {
    // Where no app can subscribe, the person sets the CRM up by hand with the address Pulse shows.
    await setUpManualWebhooks(options.provider, pulse, sandbox);
    const sync = async (full: boolean) => {
      const { logId } = await pulse.ctx.sync!.request({ userId: pulse.userId, integrationId: pulse.integrationId, full });
      for (;;) {
        const response = await fetch(`${PUBLIC_URL}/api/integrations/${pulse.integrationId}/sync-logs?limit=5`);
        const run = ((await response.json()).items as { id: string; status: string; requests: number }[]).find((item) => item.id === logId);
        if (run && run.status !== 'running') return run;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    options.onPhase?.(`full sync of ${options.records.toLocaleString()} records`, 1);
    const full = await sync(true);
    if (full.status !== 'success') throw new Error(`the full sync ended ${full.status}`);
    // What one poll costs when there is nothing new: the floor of any polling schedule.
    const poll = await sync(false);

    const contacts: string[] = [];
    for await (const record of ndjson(`${sandbox.url}/_sandbox/records/contacts?archived=false`)) {
      if (contacts.length < options.changes) contacts.push(String(record.id));
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // deliveries of the syncs' own writes, if any, settle
    await sandbox.resetRequests();
    const runsBefore = await webhookRunCount(pulse.integrationId);

    options.onPhase?.(`${contacts.length} edits in the CRM, ${options.intervalMs} ms apart`, contacts.length);
    const editedAt = new Map<string, number>();
    const latencies = new Map<string, number>();
    const since = new Date(Date.now() - 1000).toISOString();
    let editing = true;
    const watcher = (async () => {
      while (editing || latencies.size < editedAt.size) {
        for (const item of await changedSince(pulse.integrationId, since)) {
          const at = editedAt.get(item.remoteId);
          if (at !== undefined && !latencies.has(item.remoteId) && Date.parse(item.updatedAt) >= at - 5) {
            latencies.set(item.remoteId, Date.now() - at);
            options.onProgress?.(latencies.size);
          }
        }
        const oldest = Math.min(...[...editedAt].filter(([id]) => !latencies.has(id)).map(([, at]) => at));
        if (!editing && Date.now() - oldest > SEEN_WAIT_MS) return;
        await new Promise((resolve) => setTimeout(resolve, WATCH_EVERY_MS));
      }
    })();
    // A change Pulse carries: the job title, in the CRM's own name for it. (Some CRMs push only the
    // properties an app subscribed to, so an edit of one Pulse does not read is rightly never pushed.)
    const jobTitle = moduleFor(options.provider).fields.contacts.jobTitle.property;
    const started = Date.now();
    for (const [n, id] of contacts.entries()) {
      await sandbox.admin('PATCH', `/_sandbox/records/contacts/${id}`, { properties: { [jobTitle]: `Edited ${n} at ${Date.now()}` } });
      editedAt.set(id, Date.now());
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
    }
    editing = false;
    await watcher;
    const spanMs = Date.now() - started;
    const unseen = contacts.filter((id) => !latencies.has(id)).length;
    const values = contacts.map((id) => latencies.get(id) ?? SEEN_WAIT_MS);
    const pushed = await sandbox.requests();
    const p95 = percentile(values, 95);

    options.onPhase?.('equality', 1);
    const found = await differences(pulse, sandbox.url);
    return {
      provider: options.provider,
      date: new Date().toISOString().slice(0, 10),
      machine: { cpus: cpus().length, node: process.version },
      records: options.records,
      changes: contacts.length,
      intervalMs: options.intervalMs,
      latencyMs: { p50: percentile(values, 50), p95, max: Math.max(...values) },
      unseen,
      spanMs,
      pushedRequests: pushed.total,
      webhookRuns: (await webhookRunCount(pulse.integrationId)) - runsBefore,
      pollRequests: poll.requests,
      pollingRequests: {
        sameFreshness: Math.ceil(spanMs / Math.max(p95, 1)) * poll.requests,
        everyFifteenMinutes: Math.ceil(spanMs / 900_000) * poll.requests,
      },
      equal: found.length === 0,
      differences: found.slice(0, 20),
    };
  } finally {
    await app.close();
    await pulse.close();
    await sandbox.close();
  }

  /** Contacts the data API returns as changed since `since` (every page). */
  async function changedSince(integrationId: string, sinceIso: string): Promise<{ remoteId: string; updatedAt: string }[]> {
    const items: { remoteId: string; updatedAt: string }[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ integrationId, updatedSince: sinceIso, limit: '500', ...(cursor ? { cursor } : {}) });
      const page = await (await fetch(`${PUBLIC_URL}/api/contacts?${query}`)).json() as { items: { remoteId: string; updatedAt: string }[]; nextCursor: string | null };
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  async function webhookRunCount(integrationId: string): Promise<number> {
    const response = await fetch(`${PUBLIC_URL}/api/integrations/${integrationId}/sync-logs?limit=100`);
    return ((await response.json()).items as { syncType: string }[]).filter((run) => run.syncType === 'webhook').length;
  }
}

const ms = (value: number) => `${Math.round(value).toLocaleString('en-US')} ms`;

/** bench/results/<date>-<provider>-realtime.{json,md}: the figures, the target and what bounds them. */
export function writeRealtimeReport(result: RealtimeResult, outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const base = join(outDir, `${result.date}-${result.provider}-realtime`);
  writeFileSync(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
  const met = result.latencyMs.p95 <= 3_000 && result.unseen === 0;
  const fewer = result.pushedRequests < result.pollingRequests.sameFreshness;
  writeFileSync(`${base}.md`, `# Pushed changes: ${result.provider}, ${result.changes} edits (${result.date})

Pulse as deployed (PostgreSQL server, a \`pulse-crm worker\` process, the API server taking the
emulator's webhook deliveries), ${result.records.toLocaleString('en-US')} records synced in full first.
Contacts edited in the CRM one at a time, ${result.intervalMs} ms apart; each edit's latency runs from
the edit to the first data API page (\`GET /api/contacts?updatedSince=\`) holding it. ${result.machine.cpus} cores, Node ${result.machine.node}.

| | measured | target | |
|---|---|---|---|
| latency p50 / p95 / max | ${ms(result.latencyMs.p50)} / ${ms(result.latencyMs.p95)} / ${ms(result.latencyMs.max)} | p95 ≤ 3,000 ms | ${met ? 'met' : '**missed**'} |
| edits never seen (within ${SEEN_WAIT_MS / 1000} s) | ${result.unseen} | 0 | ${result.unseen === 0 ? 'met' : '**missed**'} |
| CRM requests for the ${result.changes} edits (webhook runs: ${result.webhookRuns}) | ${result.pushedRequests} | fewer than polling as fresh | ${fewer ? 'met' : '**missed**'} |
| polling as fresh (one poll per p95 over ${ms(result.spanMs)}, ${result.pollRequests} requests a poll) | ${result.pollingRequests.sameFreshness} | | |
| polling every 15 minutes over the same span | ${result.pollingRequests.everyFifteenMinutes} | | |
| Pulse equal to the emulator afterwards | ${result.equal ? 'yes' : '**NO**'} | yes | |

What bounds the latency: the emulator's delivery batching, the ${'1 s'} gathering of pushed events
(PULSE_WEBHOOK_SETTLE_MS) and the workers' look every 0.5 s, then one run's requests (read by id,
associations) and its write. A poll that found nothing still costs its requests; the webhook runs
spend requests only on what changed.
`);
  return base;
}
