import { asSystem } from '../db/tenant.js';
import { syncLogsRepository, type SyncLog } from '../db/sync-logs-repository.js';
import type { BenchPulse } from './context.js';

/**
 * One sync as a user waits for it: from the sync request to the moment its `crm_sync_logs` row is
 * finished. Samples records written over time (for the chart) and the process's peak resident memory
 * (the worker runs in this process; the sandbox does not).
 */
export interface MeasuredSync {
  log: SyncLog;
  wallMs: number;
  peakRssMb: number;
  /** [ms since the request, records written so far] */
  samples: [number, number][];
}

export async function measureSync(pulse: BenchPulse, full: boolean, onProgress?: (written: number) => void): Promise<MeasuredSync> {
  const { ctx } = pulse;
  // Linux: the syncing process's VmHWM is reset, so the peak is this sync's, not its whole life's.
  const canReset = pulse.resetPeak();
  let sampledPeak = process.memoryUsage().rss;
  const samples: [number, number][] = [[0, 0]];
  let logId: string | null = null;
  let finished: (() => void) | null = null;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const started = performance.now();
  const unsubscribe = ctx.events!.subscribe(pulse.userId, (event) => {
    if (event.type === 'sync.progress' && event.logId === logId) {
      const written = event.counts.contacts + event.counts.companies + event.counts.deals;
      samples.push([performance.now() - started, written]);
      onProgress?.(written);
    }
    if (event.type === 'sync.finished' && event.logId === logId) finished?.();
  });
  const memory = setInterval(() => (sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss)), 50);
  // The event is the fast path; reading the row is the truth (and covers a missed notification).
  const poll = setInterval(() => void readLog().then((log) => log && log.status !== 'running' && finished?.()).catch(() => {}), 250);
  const readLog = () => (logId ? asSystem(ctx.db.pool, (tx) => syncLogsRepository(tx).find(logId!)) : Promise.resolve(null));
  try {
    ({ logId } = await ctx.sync!.request({ userId: pulse.userId, integrationId: pulse.integrationId, full }));
    let log: SyncLog | null = null;
    await Promise.race([done, pulse.workerDied]);
    for (;;) {
      log = await readLog();
      if (log && log.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const wallMs = performance.now() - started;
    const written = log.recordsSynced;
    if (samples[samples.length - 1]![1] !== written) samples.push([wallMs, written]);
    const hwm = canReset ? pulse.peakRss() : null;
    return { log, wallMs, peakRssMb: Math.round((hwm ?? sampledPeak) / 1048576), samples };
  } finally {
    unsubscribe();
    clearInterval(memory);
    clearInterval(poll);
  }
}
