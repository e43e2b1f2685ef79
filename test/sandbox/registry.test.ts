/** The multi-CRM sandbox: the registry, starting a subset on chosen ports, and the wiring of separately started emulators. */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { EMULATORS, SANDBOX_APPS, SANDBOX_PORTS, SANDBOX_PROVIDERS, sandboxPorts, sandboxWiring, startSandbox } from '../../src/sandbox/index.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the emulator registry', () => {
  it('gives every emulator its own fixed port, name and built-in app with redirect URIs and scopes', () => {
    expect(SANDBOX_PORTS.hubspot).toBe(4101);
    expect(new Set(Object.values(SANDBOX_PORTS)).size).toBe(SANDBOX_PROVIDERS.length);
    for (const id of SANDBOX_PROVIDERS) {
      const emulator = EMULATORS[id];
      expect(emulator.port).toBeGreaterThanOrEqual(4101);
      expect(emulator.name).toBeTruthy();
      expect(emulator.app.clientId && emulator.app.clientSecret).toBeTruthy();
      expect(emulator.limits.tiers[emulator.limits.defaultTier]).toBeDefined();
      for (const hook of ['accessToken', 'createContext', 'registerRoutes', 'tokenResponse'] as const) expect(typeof emulator[hook]).toBe('function');
    }
  });

  it('keeps every CRM name out of the shared core', () => {
    const dir = new URL('../../src/sandbox/core/', import.meta.url);
    const named = readdirSync(dir).filter((file) => /hubspot|salesforce|pipedrive|zoho/i.test(readFileSync(new URL(file, dir), 'utf8')));
    expect(named).toEqual([]);
  });

  it('wires separately started emulators from the fixed ports, moved together by a base port', () => {
    const every = <T>(value: (provider: (typeof SANDBOX_PROVIDERS)[number]) => T) => Object.fromEntries(SANDBOX_PROVIDERS.map((p) => [p, value(p)]));
    expect(sandboxWiring('127.0.0.1')).toEqual({
      urls: every((p) => `http://127.0.0.1:${SANDBOX_PORTS[p]}`),
      apps: every((p) => ({ clientId: SANDBOX_APPS[p].clientId, clientSecret: SANDBOX_APPS[p].clientSecret })),
    });
    expect(sandboxWiring('127.0.0.1').urls.hubspot).toBe('http://127.0.0.1:4101');
    expect(sandboxPorts(5101)).toEqual(every((p) => SANDBOX_PORTS[p] - 4101 + 5101));
    expect(sandboxWiring('::1', 5101).urls.hubspot).toBe('http://[::1]:5101');
  });
});

describe('startSandbox', () => {
  it('starts the chosen providers on the chosen ports, each answering its admin API', { timeout: 30_000 }, async () => {
    const port = await freePort();
    const sb = await startSandbox({ providers: ['hubspot'], ports: { hubspot: port }, records: 10 });
    try {
      expect(sb.urls).toEqual({ hubspot: `http://127.0.0.1:${port}` });
      expect(sb.apps).toEqual({ hubspot: { clientId: SANDBOX_APPS.hubspot.clientId, clientSecret: SANDBOX_APPS.hubspot.clientSecret } });
      const res = await fetch(`${sb.urls.hubspot}/_sandbox`);
      const body = (await res.json()) as { provider: string; defaultAccountId: number; apps: { clientId: string }[]; accounts: { id: number; counts: Record<string, number> }[] };
      expect(body.provider).toBe('hubspot');
      expect(body.apps.map((a) => a.clientId)).toEqual([SANDBOX_APPS.hubspot.clientId]);
      expect(body.accounts).toEqual([expect.objectContaining({ id: sb.hubspot.store.defaultAccountId, counts: { contacts: 7, companies: 1, deals: 2 } })]);
    } finally {
      await sb.close();
    }
  });

  it('starts every registered emulator by default, on ephemeral ports, with one redirect URI for all built-in apps', { timeout: 30_000 }, async () => {
    const sb = await startSandbox({ records: 0, redirectUris: ['http://127.0.0.1:3999/crm/oauth/callback'] });
    try {
      expect(Object.keys(sb.urls).sort()).toEqual([...SANDBOX_PROVIDERS].sort());
      for (const id of SANDBOX_PROVIDERS) {
        const apps = (await (await fetch(`${sb.urls[id]}/_sandbox/apps`)).json()) as { apps: { clientId: string; redirectUris: string[] }[] };
        expect(apps.apps.find((a) => a.clientId === SANDBOX_APPS[id].clientId)?.redirectUris).toEqual(['http://127.0.0.1:3999/crm/oauth/callback']);
      }
    } finally {
      await sb.close();
    }
  });

  it('refuses a limit tier the emulator does not have', async () => {
    await expect(startSandbox({ limits: 'platinum', records: 0 })).rejects.toThrow(/no limit tier platinum/);
  });
});
