import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { objectTypes } from '../../src/crm/platforms.js';
import type { Integration } from '../../src/db/integrations-repository.js';
import { asSystem } from '../../src/db/tenant.js';
import { createLogger } from '../../src/logger.js';
import { createContext } from '../../src/runtime.js';
import { recordTables } from '../../src/sync/record-tables.js';
import type { AppContext } from '../../src/app-context.js';
import { startSyncServices } from '../../src/sync/services.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { engine } from '../helpers/database.js';
import { differences } from '../helpers/equality.js';
import { freePort, repoRoot, runCli, stop, waitFor, waitForHealthy, type RunningCli } from '../helpers/process.js';
import { TEST_JWT_SECRET, tokenFor } from '../helpers/users.js';
import { availablePlatforms, connectThroughConsent, processEnvFor, startEmulator, type Emulator } from './harness.js';

/**
 * A sync survives its process being killed (SIGKILL) early and late in a full sync: the next process
 * resumes the run from its last committed page and ends with exactly the CRM's records, none twice.
 * On PostgreSQL the killed process is a `pulse-crm worker`; on embedded PGlite, where one process owns
 * the data directory, it is the whole product (server and workers in one, test/fixtures/
 * embedded-product.ts), restarted on the same data directory, and progress is read through its API.
 */
const seed = { contacts: 1400, companies: 200, deals: 400 };
const seeded = seed.contacts + seed.companies + seed.deals;
const SUB = 'crash-test';

interface Run { status: string; recordsSynced: number }

/** Where Pulse runs during the test: processes to kill, and the database to read before and after. */
interface Deployment {
  spawn(): Promise<RunningCli>;
  /** The run as the database has it, read while a process runs. */
  progress(integrationId: string, logId: string): Promise<Run>;
  /** The database, while no process holds it (always, on a server). */
  withDatabase<T>(work: (ctx: AppContext) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const heartbeatEnv = { PULSE_HEARTBEAT_TIMEOUT_MS: '2000', PULSE_SCHEDULER_INTERVAL_MS: '500', PULSE_WORKER_CONCURRENCY: '1', LOG_LEVEL: 'info' };

async function serverDeployment(emulator: Emulator, publicUrl: string): Promise<Deployment> {
  const ctx: TestContext = await createTestContext({ PUBLIC_URL: publicUrl }, emulator.wiring, 'postgres');
  const services = await startSyncServices(ctx, { workers: 0, scheduler: false });
  return {
    async spawn() {
      return runCli(['worker'], { DATABASE_URL: ctx.databaseUrl!, PULSE_DATA_DIR: ctx.dataDir, PUBLIC_URL: publicUrl, ...processEnvFor(emulator), ...heartbeatEnv });
    },
    progress: async (_integrationId, logId) => asSystem(ctx.db.pool, async (tx) => (await tx.query('SELECT status, records_synced AS "recordsSynced" FROM crm_sync_logs WHERE id = $1', [logId])).rows[0]),
    withDatabase: (work) => work(ctx),
    async close() {
      await services.stop();
      await ctx.close();
    },
  };
}

async function embeddedDeployment(emulator: Emulator, publicUrl: string): Promise<Deployment> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pulse-conformance-'));
  const env = { PULSE_DATA_DIR: dataDir, PUBLIC_URL: publicUrl, PULSE_AUTH_JWT_SECRET: TEST_JWT_SECRET };
  const port = new URL(publicUrl).port;
  const auth = { authorization: `Bearer ${await tokenFor(SUB)}` };
  return {
    async spawn() {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/embedded-product.ts'], {
        cwd: repoRoot, env: { ...process.env, ...env, DATABASE_URL: '', HOST: '127.0.0.1', PORT: port, ...processEnvFor(emulator), ...heartbeatEnv }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout!.on('data', (chunk) => (output += chunk));
      child.stderr!.on('data', (chunk) => (output += chunk));
      const running: RunningCli = { child, output: () => output, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
      await waitForHealthy(publicUrl, running, 90_000);
      return running;
    },
    async progress(integrationId, logId) {
      const response = await fetch(`${publicUrl}/api/integrations/${integrationId}/sync-logs?limit=5`, { headers: auth });
      if (!response.ok) throw new Error(`sync-logs answered ${response.status}`);
      const run = ((await response.json()).items as (Run & { id: string })[]).find((item) => item.id === logId);
      if (!run) throw new Error(`run ${logId} is not listed`);
      return run;
    },
    async withDatabase(work) {
      const config = loadConfig({ ...env, LOG_LEVEL: 'silent', PULSE_SANDBOX: 'off' });
      const ctx = await createContext({ config, logger: createLogger('silent'), sandbox: emulator.wiring });
      try {
        return await work(ctx);
      } finally {
        await ctx.close();
      }
    },
    async close() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describe.each(availablePlatforms)(`%s: a killed process mid-sync on ${engine}`, (platform) => {
  let emulator: Emulator;
  let deployment: Deployment;
  let publicUrl: string;
  const processes: RunningCli[] = [];
  let integration: Integration;

  beforeAll(async () => {
    publicUrl = `http://127.0.0.1:${await freePort()}`;
    emulator = await startEmulator(platform, { redirectUri: `${publicUrl}/crm/oauth/callback`, records: seed });
    deployment = engine === 'postgres' ? await serverDeployment(emulator, publicUrl) : await embeddedDeployment(emulator, publicUrl);
  });
  afterAll(async () => {
    await Promise.all(processes.map((running) => stop(running, 'SIGKILL')));
    await deployment?.close();
    await emulator?.close();
  });

  it('resumes a full sync killed early and late, and ends equal with no duplicate rows', async () => {
    // Every answer held a little, so a full sync lasts long enough to be killed at chosen points, even
    // where pages are large (a few requests per object) and the machine is busy with other tests.
    await emulator.admin('POST', '/_sandbox/faults', { kind: 'hang', share: 1, hangMs: 300 });
    const logId = await deployment.withDatabase(async (ctx) => {
      const services = await startSyncServices(ctx, { workers: 0, scheduler: false });
      try {
        integration = await connectThroughConsent(ctx, platform, SUB);
        return (await ctx.sync!.request({ userId: integration.userId, integrationId: integration.id })).logId;
      } finally {
        await services.stop();
      }
    });

    for (const share of [0.15, 0.45]) {
      const running = await deployment.spawn();
      processes.push(running);
      await waitFor(async () => ((await deployment.progress(integration.id, logId)).recordsSynced >= share * seeded ? true : undefined), `the run to pass ${share * 100} %`, 90_000)
        .catch((error) => { throw new Error(`${(error as Error).message}\n${running.output().slice(-3000)}`); });
      await stop(running, 'SIGKILL');
      const killed = await deployment.withDatabase(async (ctx) => (await asSystem(ctx.db.pool, (tx) => tx.query('SELECT status, records_synced FROM crm_sync_logs WHERE id = $1', [logId]))).rows[0]);
      expect(killed.status).toBe('running');
      expect(killed.records_synced).toBeLessThan(seeded);
    }

    await emulator.admin('DELETE', '/_sandbox/faults');
    const last = await deployment.spawn();
    processes.push(last);
    const finished = await waitFor(async () => {
      const run = await deployment.progress(integration.id, logId);
      return run.status === 'running' ? undefined : run;
    }, 'the resumed run to finish', 90_000);
    expect(finished.status).toBe('success');
    await stop(last);

    await deployment.withDatabase(async (ctx) => {
      expect(await differences(ctx, emulator.url, integration.id)).toEqual([]);
      for (const object of objectTypes) {
        const { rows: [row] } = await asSystem(ctx.db.pool, (tx) => tx.query(
          `SELECT count(*)::int AS rows, count(DISTINCT remote_id)::int AS ids FROM ${recordTables[object].table} WHERE integration_id = $1`, [integration.id]));
        expect(row, object).toEqual({ rows: seed[object], ids: seed[object] });
      }
    });
  }, 240_000);
});
