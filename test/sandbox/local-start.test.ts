/**
 * `npm start` without credentials: every registered emulator whose platform has no client id runs
 * in-process, accepts our callback URL, and hands us the developer credentials of apps whose webhooks
 * Pulse keeps (HubSpot).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startLocalSandbox } from '../../src/commands/local-sandbox.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { SANDBOX_DEVELOPER_API_KEY } from '../../src/sandbox/hubspot/app.js';
import { SANDBOX_APPS, SANDBOX_PROVIDERS } from '../../src/sandbox/index.js';

const logger = createLogger('silent');
// A fresh data directory: the emulators keep their state under PULSE_DATA_DIR/sandbox.
const env = { PULSE_SANDBOX_PORT: '0', PUBLIC_URL: 'http://127.0.0.1:3999', PULSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'pulse-local-sandbox-')) };

describe('startLocalSandbox', () => {
  it('runs every registered emulator with our callback URL and hands over the developer credentials of apps that own their webhooks', { timeout: 30_000 }, async () => {
    const sandbox = (await startLocalSandbox(loadConfig(env), logger))!;
    try {
      expect(Object.keys(sandbox.urls).sort()).toEqual([...SANDBOX_PROVIDERS].sort());
      // Pulse keeps HubSpot's app webhooks itself with the key (src/crm/app-webhooks.ts), as with a real app.
      expect(sandbox.apps.hubspot).toEqual({
        clientId: SANDBOX_APPS.hubspot.clientId, clientSecret: SANDBOX_APPS.hubspot.clientSecret,
        developer: { appId: String(SANDBOX_APPS.hubspot.appId), apiKey: SANDBOX_DEVELOPER_API_KEY },
      });
      expect(sandbox.apps.pipedrive).toEqual({ clientId: SANDBOX_APPS.pipedrive.clientId, clientSecret: SANDBOX_APPS.pipedrive.clientSecret });
      const apps = (await (await fetch(`${sandbox.urls.hubspot}/_sandbox/apps`)).json()) as { apps: { redirectUris: string[] }[] };
      expect(apps.apps[0]!.redirectUris).toEqual(['http://127.0.0.1:3999/crm/oauth/callback']);
      // The emulator subscribes nothing by itself: that is the product's job now.
      const subs = (await (await fetch(`${sandbox.urls.hubspot}/webhooks/v3/${SANDBOX_APPS.hubspot.appId}/subscriptions?hapikey=${SANDBOX_DEVELOPER_API_KEY}`)).json()) as { results: unknown[] };
      expect(subs.results).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });

  it('leaves out a platform whose client credentials are set, and runs nothing when none is left', async () => {
    const partly = (await startLocalSandbox(loadConfig({ ...env, HUBSPOT_CLIENT_ID: 'real-id', HUBSPOT_CLIENT_SECRET: 'real-secret' }), logger));
    try {
      expect(Object.keys(partly?.urls ?? {}).sort()).toEqual(SANDBOX_PROVIDERS.filter((p) => p !== 'hubspot').sort());
    } finally {
      await partly?.close();
    }
    // Credentials for every registered platform: no emulator is left to run.
    const all = Object.fromEntries(SANDBOX_PROVIDERS.flatMap((p) => [[`${p.toUpperCase()}_CLIENT_ID`, 'real-id'], [`${p.toUpperCase()}_CLIENT_SECRET`, 'real-secret']]));
    expect(await startLocalSandbox(loadConfig({ ...env, ...all }), logger)).toBeNull();
  });

  it('seeds each emulator with PULSE_SANDBOX_RECORDS records, split as every emulator splits them', { timeout: 30_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pulse-local-sandbox-records-'));
    const sandbox = (await startLocalSandbox(loadConfig({ ...env, PULSE_DATA_DIR: dataDir, PULSE_SANDBOX_RECORDS: '50' }), logger))!;
    try {
      const lines = async (object: string) => (await (await fetch(`${sandbox.urls.hubspot}/_sandbox/records/${object}`)).text()).split('\n').filter(Boolean).length;
      expect([await lines('contacts'), await lines('companies'), await lines('deals')]).toEqual([35, 5, 10]);
    } finally {
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
    expect(loadConfig({}).PULSE_SANDBOX_RECORDS).toBe(2_000);
  });

  it('runs nothing with PULSE_SANDBOX=off', async () => {
    expect(await startLocalSandbox(loadConfig({ ...env, PULSE_SANDBOX: 'off' }), logger)).toBeNull();
  });
});
