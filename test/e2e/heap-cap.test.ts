import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { runCli, stop, waitFor, type RunningCli } from '../helpers/process.js';

/**
 * `pulse-crm worker` bounds its own memory: started without a heap flag it runs itself again under
 * its cap (bin/heap-cap.js), and the pair behaves as one process to whoever started it: a signal
 * stops the worker gracefully, a SIGKILL leaves no orphan behind, and a cap the operator chose wins.
 */
interface Started { pid: number; heapLimitMb: number }

const environOf = (pid: number) => Object.fromEntries(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean)
  .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
const processAlive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

describe('a worker started without Node flags', () => {
  let database: TestDatabase;
  let dataDir: string;
  const running: RunningCli[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    dataDir = mkdtempSync(join(tmpdir(), 'pulse-heap-cap-'));
  });
  afterAll(async () => {
    await Promise.all(running.map((cli) => stop(cli, 'SIGKILL')));
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function startWorker(nodeOptions = '', env: Record<string, string> = {}): Promise<{ cli: RunningCli; started: Started }> {
    const cli = runCli(['worker'], { DATABASE_URL: database.url!, PULSE_DATA_DIR: dataDir, NODE_OPTIONS: nodeOptions, LOG_LEVEL: 'info', ...env });
    running.push(cli);
    const started = await waitFor(async () => {
      if (cli.child.exitCode !== null) throw new Error(`the worker exited:\n${cli.output()}`);
      const line = cli.output().split('\n').find((each) => each.includes('sync worker is running'));
      return line ? (JSON.parse(line) as Started) : undefined;
    }, 'the worker to run', 60_000).catch((error) => { throw new Error(`${(error as Error).message}\n${cli.output()}`); });
    return { cli, started };
  }

  it('caps its heap by itself, and stops gracefully on SIGTERM', async () => {
    const { cli, started } = await startWorker();
    // The worker is the supervised child: another pid, with a heap limit of the 192 MB cap plus what
    // V8 adds for the young generation (about 50 MB on Node 20, 192 on Node 24), where an uncapped
    // Node on this machine allows gigabytes.
    expect(started.pid).not.toBe(cli.child.pid);
    expect(started.heapLimitMb).toBeGreaterThanOrEqual(192);
    expect(started.heapLimitMb).toBeLessThan(512);
    // One malloc arena, not one per thread (bin/heap-cap.js): glibc reads it when the process starts.
    expect(environOf(started.pid).MALLOC_ARENA_MAX).toBe('1');
    expect(await stop(cli, 'SIGTERM')).toBe(0);
    expect(cli.output()).toContain('shutting down');
    expect(processAlive(started.pid)).toBe(false);
  });

  it('keeps the malloc arenas the operator chose', async () => {
    const { cli, started } = await startWorker('', { MALLOC_ARENA_MAX: '4' });
    expect(started.pid).not.toBe(cli.child.pid);
    expect(environOf(started.pid).MALLOC_ARENA_MAX).toBe('4');
    expect(await stop(cli, 'SIGTERM')).toBe(0);
  });

  it('dies with its supervisor when that is killed outright, as a crash', async () => {
    const { cli, started } = await startWorker();
    await stop(cli, 'SIGKILL');
    await waitFor(async () => (processAlive(started.pid) ? undefined : true), 'the supervised worker to die with its supervisor', 5_000);
  });

  it('keeps a cap the operator set in NODE_OPTIONS, in a single process', async () => {
    const { cli, started } = await startWorker('--max-old-space-size=400');
    expect(started.pid).toBe(cli.child.pid);
    expect(started.heapLimitMb).toBeGreaterThanOrEqual(400);
    expect(await stop(cli, 'SIGTERM')).toBe(0);
  });
});
