/**
 * Starts emulators: each on its own Fastify instance and port (its own origin, as each CRM has), all
 * sharing one clock. Tests start them on ephemeral ports; the CLI on the registry's fixed ones.
 */
import type { FastifyInstance } from 'fastify';
import { createClock, type Clock } from './core/clock.js';
import type { EmulatorContext } from './core/context.js';
import type { Emulator, ListLatency, SearchRealism } from './core/emulator.js';
import { createCoreContext } from './core/create-context.js';
import { createEmulatorServer } from './core/server.js';
import { NO_LIMITS, type LimitSettings, type SandboxApp } from './core/store.js';
import type { DispatcherOptions } from './core/webhooks.js';
import { EMULATORS, SANDBOX_PROVIDERS, type EmulatorContextOf, type SandboxProvider } from './emulators.js';

export interface StartSandboxOptions<P extends SandboxProvider = SandboxProvider> {
  /** Which emulators to start (default: every registered one). */
  providers?: P[];
  /** Port per provider (wins over `port`); missing = an ephemeral port. */
  ports?: Partial<Record<P, number>>;
  /**
   * Base port, as `PULSE_SANDBOX_PORT`: each emulator listens at its fixed port's offset from the
   * lowest fixed one (4101 → the fixed ports; 5101 → 5101, 5102, …); 0 or absent = ephemeral ports.
   */
  port?: number;
  host?: string;
  seed?: number;
  /** Seeded into each default account; a number is split 70% contacts / 10% companies / 20% deals. */
  records?: number | Partial<Record<'contacts' | 'companies' | 'deals', number>>;
  accessTokenTtlSeconds?: number;
  /** false = no rate limiting at all. */
  rateLimits?: boolean;
  /** Limit tier of each default account (a name from that emulator's tiers; default its `defaultTier`). */
  limits?: string;
  /** Replaces the redirect URIs of every started emulator's built-in app (e.g. our callback URL). */
  redirectUris?: string[];
  /**
   * Extra apps, or fields replacing a built-in app's (same clientId). An entry goes to the emulator
   * named by `provider`, else to the one whose built-in app has that clientId.
   */
  apps?: (Partial<SandboxApp> & { clientId: string; provider?: P })[];
  webhooks?: DispatcherOptions;
  /** Search index lag and shuffled ties, for emulators whose CRM's search has them (off by default). */
  search?: SearchRealism;
  /** Time list answers take, for emulators that model it (each emulator has its own default). */
  latency?: ListLatency;
}

export type Sandbox<P extends SandboxProvider = SandboxProvider> = {
  urls: Record<P, string>;
  /** Each started emulator's built-in OAuth app credentials. */
  apps: Record<P, { clientId: string; clientSecret: string }>;
  close(): Promise<void>;
} & { [K in P]: EmulatorContextOf<K> };

function appsFor(provider: SandboxProvider, emulator: Emulator<EmulatorContext>, opts: StartSandboxOptions): SandboxApp[] {
  const builtIn = { ...emulator.app, ...(opts.redirectUris ? { redirectUris: opts.redirectUris } : {}) };
  const apps = new Map<string, SandboxApp>([[builtIn.clientId, builtIn]]);
  for (const { provider: target, ...a } of opts.apps ?? []) {
    if ((target ?? (a.clientId === emulator.app.clientId ? provider : undefined)) !== provider) continue;
    const base = apps.get(a.clientId) ?? { clientSecret: '', appId: emulator.app.appId + apps.size, redirectUris: [] };
    apps.set(a.clientId, { ...base, ...a } as SandboxApp);
  }
  return [...apps.values()];
}

function limitsFor(emulator: Emulator<EmulatorContext>, opts: StartSandboxOptions): LimitSettings {
  if (opts.rateLimits === false) return NO_LIMITS;
  const tier = opts.limits ?? emulator.limits.defaultTier;
  const settings = emulator.limits.tiers[tier];
  if (!settings) throw new Error(`${emulator.name} sandbox has no limit tier ${tier}; one of ${Object.keys(emulator.limits.tiers).join(', ')}`);
  return settings;
}

function createInstance(provider: SandboxProvider, clock: Clock, opts: StartSandboxOptions): { app: FastifyInstance; ctx: EmulatorContext } {
  const emulator: Emulator<EmulatorContext> = EMULATORS[provider];
  const seed = opts.seed ?? 1;
  const core = createCoreContext(emulator, clock, { seed, apps: appsFor(provider, emulator, opts), accessTokenTtlSeconds: opts.accessTokenTtlSeconds ?? 1800, rateLimits: opts.rateLimits ?? true, webhooks: opts.webhooks });
  const ctx = emulator.createContext(core, { seed, records: opts.records ?? 1000, limits: limitsFor(emulator, opts), search: opts.search, latency: opts.latency });
  return { app: createEmulatorServer(provider, emulator, ctx), ctx };
}

function portOf(provider: SandboxProvider, opts: StartSandboxOptions): number {
  const explicit = opts.ports?.[provider];
  if (explicit !== undefined) return explicit;
  if (!opts.port) return 0;
  const lowest = Math.min(...SANDBOX_PROVIDERS.map((p) => EMULATORS[p].port));
  return EMULATORS[provider].port - lowest + opts.port;
}

/** A URL a browser on this machine can open: 0.0.0.0 is not one, IPv6 needs brackets. */
export function originOf(host: string, port: number): string {
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return `http://${shown}:${port}`;
}

export async function startSandbox<P extends SandboxProvider = SandboxProvider>(opts: StartSandboxOptions<P> = {}): Promise<Sandbox<P>> {
  const providers = opts.providers ?? (SANDBOX_PROVIDERS as P[]);
  const host = opts.host ?? '127.0.0.1';
  const clock = createClock();
  const started: FastifyInstance[] = [];
  const close = async () => void (await Promise.all(started.map((app) => app.close())));
  const sandbox = { urls: {}, apps: {}, close } as Record<string, unknown> & { urls: Record<string, string>; apps: Record<string, unknown> };
  try {
    for (const provider of providers) {
      const { app, ctx } = createInstance(provider, clock, opts as StartSandboxOptions);
      started.push(app);
      await app.listen({ host, port: portOf(provider, opts) });
      const address = app.server.address();
      sandbox.urls[provider] = originOf(host, typeof address === 'object' && address ? address.port : 0);
      const { clientId, clientSecret } = EMULATORS[provider].app;
      sandbox.apps[provider] = { clientId, clientSecret };
      sandbox[provider] = ctx;
    }
  } catch (error) {
    await close();
    throw error;
  }
  return sandbox as unknown as Sandbox<P>;
}
