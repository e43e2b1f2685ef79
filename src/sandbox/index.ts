/**
 * The sandbox: local emulators of the CRM APIs, each at the root of its own origin. Tests start it on
 * ephemeral ports; `pulse-crm sandbox` runs it on the fixed ones (HubSpot 4101). See README.md here.
 */
import { createClock } from './core/clock.js';
import type { SandboxApp } from './core/store.js';
import type { DispatcherOptions } from './core/webhooks.js';
import type { HubspotContext } from './hubspot/context.js';
import { DEFAULT_ANCHOR, type RecordCounts } from './hubspot/generate.js';
import type { LimitTier } from './hubspot/limits.js';
import { createHubspotServer } from './hubspot/server.js';
import { setSearchSettings } from './hubspot/search-settings.js';

export type { SandboxApp } from './core/store.js';
export type { LimitTier } from './hubspot/limits.js';
export type SandboxProvider = 'hubspot';

export const SANDBOX_PORTS = { hubspot: 4101 } as const;

/** The developer API key (`hapikey`) the webhooks management API accepts. */
export const SANDBOX_DEVELOPER_API_KEY = 'sandbox-developer-hapikey';

/** The OAuth app that always exists (its redirect URIs can be replaced via admin or `apps`). */
export const SANDBOX_APPS = {
  hubspot: {
    clientId: '6f1c0e5a-2f7b-4c1d-9a51-5d0c2b8e7a11',
    clientSecret: '0b9a7c3e-8d4f-4e2a-b1c6-3f5e9d7a2c48',
    appId: 3_100_001,
  },
} as const;

export const HUBSPOT_DEFAULT_REDIRECT_URIS = ['http://localhost:3000/crm/oauth/callback', 'http://127.0.0.1:3000/crm/oauth/callback'];
export const HUBSPOT_REQUIRED_SCOPES = ['oauth', 'crm.objects.contacts.read', 'crm.objects.companies.read', 'crm.objects.deals.read'];
export const HUBSPOT_OPTIONAL_SCOPES = [
  'crm.objects.contacts.write',
  'crm.objects.companies.write',
  'crm.objects.deals.write',
  'crm.objects.owners.read',
  'crm.schemas.contacts.read',
  'crm.schemas.companies.read',
  'crm.schemas.deals.read',
];

export interface StartSandboxOptions {
  providers?: SandboxProvider[];
  /** 0 = ephemeral ports; otherwise HubSpot listens on `port` (the CLI uses 4101). */
  port?: number;
  host?: string;
  seed?: number;
  /** Seeded into the default account; a number is split 70% contacts / 10% companies / 20% deals. */
  records?: number | Partial<RecordCounts>;
  accessTokenTtlSeconds?: number;
  /** false = no rate limiting at all. */
  rateLimits?: boolean;
  /** Limit tier of the default account (default 'oauth'). */
  limits?: LimitTier;
  /** Extra apps, or fields replacing the default app's (same clientId). */
  apps?: (Partial<SandboxApp> & { clientId: string })[];
  webhooks?: DispatcherOptions;
  /** HubSpot search realism, both off by default: index lag behind writes, shuffled sort ties (hubspot/search-settings.ts). */
  search?: { lagMs?: number; shuffleTies?: boolean };
}

export interface Sandbox {
  urls: { hubspot: string };
  hubspot: HubspotContext;
  close(): Promise<void>;
}

export async function startSandbox(opts: StartSandboxOptions = {}): Promise<Sandbox> {
  const clock = createClock();
  const defaults: SandboxApp = { ...SANDBOX_APPS.hubspot, name: 'Pulse CRM Sync', redirectUris: HUBSPOT_DEFAULT_REDIRECT_URIS, scopes: HUBSPOT_REQUIRED_SCOPES, optionalScopes: HUBSPOT_OPTIONAL_SCOPES };
  const apps = new Map<string, SandboxApp>([[defaults.clientId, defaults]]);
  for (const a of opts.apps ?? []) {
    const base = apps.get(a.clientId) ?? { clientSecret: '', appId: 3_100_000 + apps.size + 1, redirectUris: [] };
    apps.set(a.clientId, { ...base, ...a } as SandboxApp);
  }
  const { app, ctx } = createHubspotServer({
    clock,
    seed: opts.seed ?? 1,
    records: opts.records ?? 1000,
    apps: [...apps.values()],
    limits: opts.limits ?? 'oauth',
    accessTokenTtlSeconds: opts.accessTokenTtlSeconds ?? 1800,
    rateLimits: opts.rateLimits ?? true,
    developerApiKey: SANDBOX_DEVELOPER_API_KEY,
    anchor: DEFAULT_ANCHOR,
    webhooks: opts.webhooks,
  });
  if (opts.search) setSearchSettings(ctx, { searchLagMs: opts.search.lagMs ?? 0, shuffleTies: opts.search.shuffleTies ?? false });
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ? opts.port : 0;
  await app.listen({ host, port });
  const address = app.server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    urls: { hubspot: `http://${shownHost}:${actual}` },
    hubspot: ctx,
    close: () => app.close(),
  };
}
