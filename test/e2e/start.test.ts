import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, runCli, stop, waitForHealthy, type RunningCli } from '../helpers/process.js';

/** `pulse-crm start` as a user runs it: a real process on the embedded database in a fresh folder. */
describe('pulse-crm start on the embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pulse-start-'));
  const running: RunningCli[] = [];
  afterAll(async () => {
    await Promise.all(running.map((cli) => stop(cli)));
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function startOnce(port: number): Promise<RunningCli> {
    const cli = runCli(['start'], { PORT: String(port), PULSE_DATA_DIR: dataDir, PULSE_SANDBOX: 'off', LOG_LEVEL: 'info' });
    running.push(cli);
    await waitForHealthy(`http://127.0.0.1:${port}`, cli);
    return cli;
  }

  it('serves health and the UI shell, and refuses a second start on the same data directory', async () => {
    const port = await freePort();
    const first = await startOnce(port);
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(await health.json()).toEqual({ status: 'ok', database: 'pglite', migrations: 'current' });
    const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(page).toContain('<div id="root"></div>');

    const second = runCli(['start'], { PORT: String(await freePort()), PULSE_DATA_DIR: dataDir, PULSE_SANDBOX: 'off' });
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/The data directory .* is in use by process \d+/);

    const samePort = runCli(['start'], { PORT: String(port), PULSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'pulse-other-')), PULSE_SANDBOX: 'off' });
    expect(await samePort.exited).toBe(1);
    expect(samePort.output()).toMatch(new RegExp(`Port ${port} on 127.0.0.1 is already in use`));

    expect(await stop(first)).toBe(0);
  });

  it('starts again on the same data after a stop', async () => {
    const port = await freePort();
    const again = await startOnce(port);
    expect(again.output()).not.toMatch(/migrations applied/);
    expect(await stop(again)).toBe(0);
  });
});
