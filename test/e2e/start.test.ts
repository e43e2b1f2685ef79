import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { freePort, repoRoot, runCli, stop, waitFor, waitForHealthy, type RunningCli } from '../helpers/process.js';

/** `ps` exits 1 when a process has no children. */
const childrenOf = (pid: number): number[] => {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').map(Number).filter(Boolean);
  } catch {
    return [];
  }
};

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

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
  }, 90_000);

  it('serves the UI with its security headers, hashed assets cached for a year and compressed, and no source maps', async () => {
    const port = await freePort();
    const cli = await startOnce(port);
    const page = await fetch(`http://127.0.0.1:${port}/settings`);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script the policy would block
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      const response = await fetch(`http://127.0.0.1:${port}${asset}`, { headers: { 'accept-encoding': 'br, gzip' } });
      expect(response.headers.get('cache-control'), asset).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('content-encoding'), asset).toBe('br');
      const body = await response.text();
      expect(body, asset).not.toContain('sourceMappingURL');
      expect((await fetch(`http://127.0.0.1:${port}${asset}.map`)).status, `${asset}.map`).toBe(404);
    }
    expect(await stop(cli)).toBe(0);
  }, 90_000);

  it('leaves no process behind when `npm start` is stopped with SIGTERM or SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const port = await freePort();
      const npm = spawn('npm', ['start'], { cwd: repoRoot, env: { ...process.env, PORT: String(port), PULSE_DATA_DIR: dataDir, PULSE_SANDBOX: 'off' }, stdio: 'ignore' });
      await waitForHealthy(`http://127.0.0.1:${port}`);
      const descendants = (pid: number): number[] => {
        const children = childrenOf(pid);
        return children.flatMap((child) => [child, ...descendants(child)]);
      };
      const tree = descendants(npm.pid!);
      expect(tree.length).toBeGreaterThanOrEqual(1);
      npm.kill(signal);
      await waitFor(async () => (tree.every((pid) => !isAlive(pid)) ? true : undefined), `every process of npm start to end after ${signal}`, 20_000);
      await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
    }
  }, 120_000);

  it('starts again on the same data after a stop', async () => {
    const port = await freePort();
    const again = await startOnce(port);
    expect(again.output()).not.toMatch(/migrations applied/);
    expect(await stop(again)).toBe(0);
  }, 90_000);
});
