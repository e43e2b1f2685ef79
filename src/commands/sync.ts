import cliProgress from 'cli-progress';
import { loadConfig } from '../config.js';
import { integrationsRepository } from '../db/integrations-repository.js';
import { asSystem } from '../db/tenant.js';
import { syncLogsRepository, type SyncLog } from '../db/sync-logs-repository.js';
import { createLocalBus } from '../events/bus.js';
import { AppError } from '../lib/errors.js';
import { createLogger } from '../logger.js';
import { createContext } from '../runtime.js';
import { createRun } from '../sync/request-sync.js';
import { runSync } from '../sync/run-sync.js';

/**
 * `pulse-crm sync <integration> [--full]`: one run in the foreground, with a progress bar and a
 * summary. If a worker is already running a sync of this integration, it follows that one instead.
 */
export async function syncCommand(integrationId: string, options: { full?: boolean }): Promise<void> {
  const config = loadConfig();
  const ctx = await createContext({ config, logger: createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL) });
  try {
    // The CLI has no caller: find whose integration it is (system role), then run the sync as them.
    const owner = await asSystem(ctx.db.pool, (tx) => integrationsRepository(tx, ctx.keys).owner(integrationId));
    if (!owner) throw new AppError('not_found', `No integration ${integrationId}. "pulse-crm status" lists them.`);
    ctx.events = createLocalBus();
    const run = await createRun(ctx, { userId: owner.userId, integrationId, full: options.full });
    const bar = new cliProgress.SingleBar({
      format: ' {bar} {percentage}% | {value}/{total} records | contacts {contacts} · companies {companies} · deals {deals} | {speed} rec/s',
      hideCursor: true,
      // Also show progress when the output is a log file or a CI console, a line every second.
      noTTYOutput: true,
      notTTYSchedule: 1000,
    }, cliProgress.Presets.shades_classic);
    const started = Date.now();
    let barStarted = false;
    const show = (done: number, total: number | null, counts: { contacts: number; companies: number; deals: number }) => {
      const speed = Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
      if (!barStarted) { bar.start(total ?? done, done, { ...counts, speed }); barStarted = true; }
      bar.setTotal(Math.max(total ?? done, done));
      bar.update(done, { ...counts, speed });
    };
    ctx.events.subscribe(owner.userId, (event) => {
      if (event.type === 'sync.started') show(0, event.expected, { contacts: 0, companies: 0, deals: 0 });
      if (event.type === 'sync.progress') show(event.counts.contacts + event.counts.companies + event.counts.deals, event.expected, event.counts);
    });
    const kind = (await asSystem(ctx.db.pool, (tx) => syncLogsRepository(tx).find(run.logId)))!.syncType;
    console.log(`${run.joined ? 'Following the running' : 'Starting a'} ${kind} sync of ${owner.displayName ?? integrationId} (log ${run.logId})`);
    if (!run.joined) await runSync(ctx, { logId: run.logId, integrationId, userId: owner.userId, full: options.full === true, byPerson: true });
    // Whoever ran it, the log says how it ended.
    const log = await follow(ctx, run.logId, show);
    if (barStarted) bar.stop();
    printSummary(log);
    process.exitCode = log?.status === 'success' ? 0 : 1;
  } finally {
    await ctx.close();
  }
}

async function follow(ctx: Awaited<ReturnType<typeof createContext>>, logId: string, show: (done: number, total: number | null, counts: { contacts: number; companies: number; deals: number }) => void): Promise<SyncLog> {
  for (;;) {
    const log = (await asSystem(ctx.db.pool, (tx) => syncLogsRepository(tx).find(logId)))!;
    show(log.recordsSynced, log.recordsExpected, { contacts: log.contactsSynced, companies: log.companiesSynced, deals: log.dealsSynced });
    if (log.status !== 'running') return log;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function printSummary(log: SyncLog): void {
  const seconds = ((log.durationMs ?? 0) / 1000).toFixed(1);
  console.log(`\n${log.status.toUpperCase()}: ${log.recordsSynced} records (contacts ${log.contactsSynced}, companies ${log.companiesSynced}, deals ${log.dealsSynced}) in ${seconds} s, ${log.requests} requests.`);
  if (log.errorMessage) console.log(`Problem: ${log.errorMessage}`);
}
