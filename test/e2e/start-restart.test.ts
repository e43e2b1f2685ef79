import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answerConsentForm } from '../../src/sandbox/core/consent-client.js';
import { SANDBOX_PROVIDERS, sandboxWiring } from '../../src/sandbox/index.js';
import { freeBasePort, freePort, runCli, stop, waitFor, waitForHealthy, type RunningCli } from '../helpers/process.js';

/**
 * `npm start` twice on the same data directory, as a person runs the offline product: connect the
 * sandbox HubSpot, sync, stop, start again. The second run finds the integration connected and
 * syncs, its access token renewed with the refresh token the first run's sandbox issued.
 */
describe('pulse-crm start twice on the same data directory', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pulse-restart-'));
  const running: RunningCli[] = [];
  afterAll(async () => {
    await Promise.all(running.map((cli) => stop(cli)));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the integration connected, and it syncs', async () => {
    const port = await freePort();
    const base = await freeBasePort(SANDBOX_PROVIDERS.length);
    const app = `http://127.0.0.1:${port}`;
    const hubspot = sandboxWiring('127.0.0.1', base).urls.hubspot;
    const env = { PORT: String(port), PUBLIC_URL: app, PULSE_DATA_DIR: dataDir, PULSE_SANDBOX: 'auto', PULSE_SANDBOX_PORT: String(base), LOG_LEVEL: 'info' };
    const start = async () => {
      const cli = runCli(['start'], env);
      running.push(cli);
      await waitForHealthy(app, cli);
      return cli;
    };
    const api = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`${app}${path}`, { ...init, headers: { 'content-type': 'application/json', origin: app, ...init.headers } });
      const text = await response.text();
      if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path} → ${response.status}: ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    const lastRun = async (id: string) => (await api(`/api/integrations/${id}/sync-logs?limit=1`)).items[0];
    const syncNow = async (id: string) => {
      await waitFor(async () => ((await lastRun(id))?.status === 'running' ? undefined : true), 'the running sync to end');
      const { logId } = await api(`/api/integrations/${id}/sync`, { method: 'POST', body: '{}' });
      return waitFor(async () => {
        const run = (await api(`/api/integrations/${id}/sync-logs?limit=5`)).items.find((r: { id: string }) => r.id === logId);
        return run && run.status !== 'running' ? run : undefined;
      }, 'the sync to end', 60_000);
    };

    const first = await start();
    const { ticket } = await api('/api/integrations/oauth/start', { method: 'POST', body: JSON.stringify({ platform: 'hubspot' }) });
    const cookies: string[] = [];
    const begun = await fetch(`${app}/crm/oauth/begin`, { method: 'POST', headers: { 'content-type': 'application/json', origin: app }, body: JSON.stringify({ ticket, origin: app }) });
    cookies.push(...begun.headers.getSetCookie().map((c) => c.split(';')[0]!));
    const { authorizeUrl } = (await begun.json()) as { authorizeUrl: string };
    const callback = await answerConsentForm(authorizeUrl);
    const page = await (await fetch(callback, { headers: { cookie: cookies.join('; ') }, redirect: 'manual' })).text();
    const id = /"integrationId":"([0-9a-f-]{36})"/.exec(page)?.[1];
    expect(id, page.slice(0, 500)).toBeDefined();
    expect((await syncNow(id!)).status).toBe('success');
    expect(await stop(first)).toBe(0);

    await start();
    expect((await api(`/api/integrations/${id}`)).status).toBe('connected');
    // Past the access token's lifetime in the CRM: this sync must renew it with the stored refresh token.
    await fetch(`${hubspot}/_sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 2 * 3_600_000 }) });
    const second = await syncNow(id!);
    expect(second.status, JSON.stringify(second.errors)).toBe('success');
    expect((await api(`/api/integrations/${id}`)).status).toBe('connected');
  }, 120_000);
});
