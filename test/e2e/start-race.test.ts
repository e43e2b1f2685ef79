import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { freePort, runCli, stop, waitFor, waitForHealthy, type RunningCli } from '../helpers/process.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The README says processes may start together on one database: a server and two workers started
 * at the same instant on a brand-new database all come up (schema and job queue are created once,
 * under a lock), ten times over.
 */
describe('a server and two workers started together on a new database', () => {
  const running: RunningCli[] = [];
  const databases: TestDatabase[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'pulse-race-'));
  afterEach(async () => {
    await Promise.all(running.splice(0).map((cli) => stop(cli, 'SIGKILL')));
    await Promise.all(databases.splice(0).map((database) => database.drop()));
  });

  it('all come up, ten times out of ten', async () => {
    for (let round = 0; round < 10; round++) {
      const database = await createTestDatabase('postgres');
      databases.push(database);
      const port = await freePort();
      const env = { DATABASE_URL: database.url!, PULSE_DATA_DIR: dataDir, PULSE_SANDBOX: 'off', LOG_LEVEL: 'info', PORT: String(port) };
      const processes = [runCli(['server'], env), runCli(['worker'], env), runCli(['worker'], env)];
      running.push(...processes);
      await waitForHealthy(`http://127.0.0.1:${port}`, processes[0]);
      for (const worker of processes.slice(1)) {
        await waitFor(async () => {
          if (worker.child.exitCode !== null) throw new Error(`a worker exited in round ${round + 1}:\n${worker.output()}`);
          return worker.output().includes('sync worker is running') ? true : undefined;
        }, 'the worker to start', 60_000).catch((error) => { throw new Error(`${(error as Error).message}\n${worker.output()}`); });
      }
      expect(processes.map((cli) => cli.child.exitCode), `round ${round + 1}`).toEqual([null, null, null]);
      await Promise.all(running.splice(0).map((cli) => stop(cli, 'SIGKILL')));
      await Promise.all(databases.splice(0).map((db) => db.drop()));
    }
    rmSync(dataDir, { recursive: true, force: true });
  }, 600_000);
});
