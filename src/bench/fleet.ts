import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { AppContext } from '../app-context.js';
import { loadConfig } from '../config.js';
import { beginOAuth } from '../crm/oauth-begin.js';
import { completeOAuth, startOAuth } from '../crm/oauth-flow.js';
import type { ObjectType, PlatformId } from '../crm/platforms.js';
import { integrationsRepository } from '../db/integrations-repository.js';
import { asSystem, withUser } from '../db/tenant.js';
import { createLogger } from '../logger.js';
import { createContext } from '../runtime.js';
import { answerConsentForm } from '../sandbox/core/consent-client.js';
import { SANDBOX_APPS, SANDBOX_BASE_PORT, SANDBOX_PORTS, type SandboxProvider } from '../sandbox/index.js';
import { userIdFor } from '../server/auth.js';
import { recordTables } from '../sync/record-tables.js';
import { startSyncServices } from '../sync/services.js';
import { freshServerDatabase, peakOf, PUBLIC_URL, resetPeakOf, startWorkerProcess, type WorkerProcess } from './context.js';
import { differences } from './equality.js';
import type { SandboxChild } from './sandbox-child.js';

/**
 * Pulse as deployed at scale, for the many-tenant and crash scenarios: a fresh database on a
 * PostgreSQL server, `pulse-crm worker` processes started as in production (no NODE_OPTIONS, the
 * product's default runs per process), and any number of tenants, each a user with its own account
 * in the emulator, connected through the real OAuth flow. The bench process plays the API server:
 * it connects tenants and requests syncs; it never syncs itself.
 */
export interface Tenant { userId: string; integrationId: string; accountId: number; records: number }

export interface RunOutcome { logId: string; status: string; recordsSynced: number; byObject: [number, number, number]; requestedAt: number; completedAt: number; errorMessage: string | null }

export interface Fleet {
  ctx: AppContext;
  /** Database name on the server (for pg_stat_activity). */
  database: string;
  workers: WorkerProcess[];
  startWorker(): Promise<WorkerProcess>;
  /** A new emulator account of `records` (the emulator's usual proportions) under `tier`, connected for a new user. */
  addTenant(records: number, tier: string): Promise<Tenant>;
  /**
   * Requests a sync of each tenant at once (after `first`'s, when given) and waits for all; the
   * outcomes in that order (`first` first). `onProgress` gets the records written so far.
   */
  syncTogether(tenants: Tenant[], options: { full: boolean; first?: Tenant; onProgress?(written: number): void; timeoutMs?: number }): Promise<RunOutcome[]>;
  /** The runs' rows as they stand. */
  runs(logIds: string[]): Promise<RunOutcome[]>;
  /** Live rows Pulse holds for a tenant, per object. */
  rowsOf(tenant: Tenant): Promise<[number, number, number]>;
  differences(tenant: Tenant): Promise<string[]>;
  close(): Promise<void>;
}

export interface FleetOptions {
  databaseUrl: string;
  provider: PlatformId;
  sandbox: SandboxChild;
  workers: number;
  /** Extra settings for the worker processes (heartbeat timeout, scheduler tick). */
  workerEnv?: NodeJS.ProcessEnv;
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const server = await freshServerDatabase(options.databaseUrl);
  const dataDir = mkdtempSync(join(tmpdir(), 'pulse-bench-fleet-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PULSE_DATA_DIR: dataDir, PULSE_SANDBOX: 'off', PUBLIC_URL, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', DATABASE_URL: server.url };
  // The product's defaults, whatever the shell running the bench has set.
  delete env.PULSE_WORKER_CONCURRENCY;
  const config = loadConfig(env);
  const provider = options.provider as SandboxProvider;
  const app = SANDBOX_APPS[provider];
  const ctx = await createContext({
    config, logger: createLogger(config.LOG_LEVEL), ephemeral: true,
    sandbox: { urls: { [provider]: options.sandbox.url }, apps: { [provider]: { clientId: app.clientId, clientSecret: app.clientSecret } } },
  });
  const services = await startSyncServices(ctx, { workers: 0, scheduler: false });
  const sandboxUrl = new URL(options.sandbox.url);
  // Every emulator's port is offset from one base: the base that puts this one where it really is.
  const basePort = Number(sandboxUrl.port) - (SANDBOX_PORTS[provider] - SANDBOX_BASE_PORT);
  const workerEnv = {
    ...env, PULSE_SANDBOX: 'auto', PULSE_SANDBOX_HOST: sandboxUrl.hostname, PULSE_SANDBOX_PORT: String(basePort),
    // No scheduled syncs unless a scenario asks for the scheduler's tick: only the requested runs are measured.
    PULSE_SCHEDULER_INTERVAL_MS: '3600000', ...options.workerEnv,
  };
  const workers: WorkerProcess[] = [];
  const startWorker = async () => {
    const worker = await startWorkerProcess(workerEnv);
    workers.push(worker);
    return worker;
  };
  let tenants = 0;
  const runs = async (logIds: string[]): Promise<RunOutcome[]> => asSystem(ctx.db.pool, async (tx) => {
    const { rows } = await tx.query(
      `SELECT id, status, records_synced, contacts_synced, companies_synced, deals_synced, error_message,
              extract(epoch FROM started_at) * 1000 AS started, extract(epoch FROM completed_at) * 1000 AS completed
         FROM crm_sync_logs WHERE id = ANY($1)`, [logIds]);
    const byId = new Map(rows.map((row) => [row.id as string, row]));
    return logIds.map((id) => {
      const row = byId.get(id)!;
      return {
        logId: id, status: row.status, recordsSynced: row.records_synced, byObject: [row.contacts_synced, row.companies_synced, row.deals_synced],
        requestedAt: Number(row.started), completedAt: row.completed === null ? NaN : Number(row.completed), errorMessage: row.error_message,
      };
    });
  });
  try {
    for (let i = 0; i < options.workers; i++) await startWorker();
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.stop()));
    throw error;
  }
  return {
    ctx,
    database: new URL(server.url).pathname.slice(1),
    workers,
    startWorker,
    async addTenant(records, tier) {
      const account = await options.sandbox.admin<{ id: number }>('POST', '/_sandbox/accounts', { records, limits: tier });
      const userId = userIdFor(`bench-tenant-${++tenants}`);
      await withUser(ctx.db.pool, userId, (tx) => tx.query('INSERT INTO users (id, external_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [userId, `bench-tenant-${tenants}`]));
      // The browser's part (begin, with the flow's cookie) played in process; consent for this tenant's own account.
      const appOrigin = new URL(ctx.config.publicUrl).origin;
      const { ticket } = await startOAuth(ctx, userId, { platform: options.provider, appOrigin });
      const begun = await beginOAuth(ctx, ticket, appOrigin, 'popup');
      if (!begun.ok) throw new Error(`connecting tenant ${tenants} failed: ${begun.message}`);
      const outcome = await completeOAuth(ctx, await answerConsentForm(begun.authorizeUrl, account.id), begun.cookie.value);
      if (!outcome.ok) throw new Error(`connecting tenant ${tenants} failed: ${outcome.message}`);
      // Only the runs the bench requests are measured: the schedule at its longest (a day, as the API
      // allows), so a worker's scheduler tick neither starts a tenant before its request nor again after.
      await withUser(ctx.db.pool, userId, (tx) => integrationsRepository(tx, ctx.keys).update(outcome.integration.id, { settings: { sync_interval_minutes: 1440 } }));
      return { userId, integrationId: outcome.integration.id, accountId: account.id, records };
    },
    async syncTogether(list, { full, first, onProgress, timeoutMs = 6 * 3600_000 }) {
      const request = (tenant: Tenant) => ctx.sync!.request({ userId: tenant.userId, integrationId: tenant.integrationId, full });
      const lead = first ? [await request(first)] : [];
      const requested = [...lead, ...(await Promise.all(list.map(request)))];
      const logIds = requested.map((run) => run.logId);
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        // Each worker's death ends the bench: a run it held would wait for a heartbeat timeout nobody measures here.
        await Promise.race([new Promise((resolve) => setTimeout(resolve, 200)), ...workers.map((worker) => worker.died)]);
        const now = await runs(logIds);
        onProgress?.(now.reduce((sum, run) => sum + run.recordsSynced, 0));
        if (now.every((run) => run.status !== 'running')) return now;
        if (performance.now() > deadline) throw new Error(`runs still going after ${timeoutMs / 1000} s`);
      }
    },
    runs,
    async rowsOf(tenant) {
      return asSystem(ctx.db.pool, async (tx) => {
        const count = async (object: ObjectType) => (await tx.query(`SELECT count(*)::int AS n FROM ${recordTables[object].table} WHERE integration_id = $1 AND deleted_at IS NULL`, [tenant.integrationId])).rows[0].n as number;
        return [await count('contacts'), await count('companies'), await count('deals')];
      });
    },
    differences: (tenant) => differences({ ctx, integrationId: tenant.integrationId }, options.sandbox.url, 20, tenant.accountId),
    async close() {
      await Promise.all(workers.map((worker) => worker.stop()));
      await services.stop();
      await ctx.close();
      await server.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * What the fleet used while it worked, sampled every 250 ms: each worker's peak RSS (its process
 * tree: supervisor and capped child, as context.ts counts it; a high-water mark, so a sample just
 * before a kill loses at most 250 ms of growth) and the connections open to the bench's database.
 */
export interface Usage { peakRssMbByWorker: number[]; maxConnections: number }

export function sampleUsage(fleet: Fleet, adminUrl: string): { stop(): Promise<Usage> } {
  const peaks = new Map<WorkerProcess, number>();
  for (const worker of fleet.workers) resetPeakOf(worker.pid);
  let maxConnections = 0;
  const client = new pg.Client({ connectionString: adminUrl });
  const connected = client.connect();
  let sampling: Promise<void> = Promise.resolve();
  const sample = async () => {
    for (const worker of fleet.workers) {
      const peak = peakOf(worker.pid);
      if (peak) peaks.set(worker, Math.max(peaks.get(worker) ?? 0, peak));
    }
    await connected;
    const { rows } = await client.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [fleet.database]);
    maxConnections = Math.max(maxConnections, rows[0].n);
  };
  const timer = setInterval(() => (sampling = sampling.then(sample).catch(() => {})), 250);
  return {
    async stop() {
      clearInterval(timer);
      await sampling;
      await sample().catch(() => {});
      await client.end();
      return { peakRssMbByWorker: [...peaks.values()].map((bytes) => Math.round(bytes / 1048576)), maxConnections };
    },
  };
}

/** A run's time from its request to its completion. */
export const runMs = (run: RunOutcome) => run.completedAt - run.requestedAt;

/** The value at share `p` (0–1) of the sorted figures: nearest rank. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
