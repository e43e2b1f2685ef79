/**
 * Starts emulators: each on its own Fastify instance and port (its own origin, as each CRM has), all
 * sharing one clock. Tests start them on ephemeral ports; the CLI on the registry's fixed ones. With a
 * data directory each emulator keeps its world under `<dataDir>/<provider>/` and finds it again at
 * the next start (see core/request-journal.ts); without one it lives in memory only.
 */
import { originOf } from './wiring.js';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createClock, type Clock } from './core/clock.js';
import type { EmulatorContext } from './core/context.js';
import type { Emulator, ListLatency, SearchRealism } from './core/emulator.js';
import { createCoreContext } from './core/create-context.js';
import { JournalFile } from './core/journal-file.js';
import { journaledClock, journaledFormats, RequestJournal, type ReplayReport } from './core/request-journal.js';
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
  /**
   * Where the emulators keep their state across restarts (`<dataDir>/<provider>/`). The seed and
   * record counts a directory was created with win over `seed` and `records` afterwards.
   */
  dataDir?: string;
}

export type Sandbox<P extends SandboxProvider = SandboxProvider> = {
  urls: Record<P, string>;
  /** Each started emulator's built-in OAuth app credentials. */
  apps: Record<P, { clientId: string; clientSecret: string }>;
  /** With a data directory: the writes each emulator found there and replayed. */
  restored: Partial<Record<P, ReplayReport>>;
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

/** The emulator's directory under `dataDir`: its journal, and the seed and counts it was created with. */
function openDataDir(provider: SandboxProvider, opts: StartSandboxOptions) {
  if (!opts.dataDir) return undefined;
  const file = new JournalFile(join(opts.dataDir, provider));
  let world = file.readWorld();
  if (!world) file.writeWorld((world = { version: 1, seed: opts.seed ?? 1, records: opts.records ?? 1000 }));
  return { journal: new RequestJournal(file), seed: world.seed, records: world.records as StartSandboxOptions['records'] };
}

function createInstance(provider: SandboxProvider, clock: Clock, opts: StartSandboxOptions): { app: FastifyInstance; ctx: EmulatorContext; journal?: RequestJournal } {
  const emulator: Emulator<EmulatorContext> = EMULATORS[provider];
  const persisted = openDataDir(provider, opts);
  const seed = persisted?.seed ?? opts.seed ?? 1;
  const formats = persisted ? { tokenFormats: journaledFormats(emulator.tokenFormats) } : emulator;
  const core = createCoreContext(formats, clock, { seed, apps: appsFor(provider, emulator, opts), accessTokenTtlSeconds: opts.accessTokenTtlSeconds ?? 1800, rateLimits: opts.rateLimits ?? true, webhooks: opts.webhooks });
  const ctx = emulator.createContext(core, { seed, records: persisted?.records ?? opts.records ?? 1000, limits: limitsFor(emulator, opts), search: opts.search, latency: opts.latency });
  return { app: createEmulatorServer(provider, emulator, ctx, persisted?.journal), ctx, journal: persisted?.journal };
}

/** Replays what the emulator wrote before its last stop, without sending its webhooks a second time. */
async function restore(app: FastifyInstance, ctx: EmulatorContext, journal: RequestJournal): Promise<ReplayReport> {
  ctx.dispatcher.muted = true;
  try {
    return await journal.replay(app);
  } finally {
    ctx.dispatcher.muted = false;
  }
}

function portOf(provider: SandboxProvider, opts: StartSandboxOptions): number {
  const explicit = opts.ports?.[provider];
  if (explicit !== undefined) return explicit;
  if (!opts.port) return 0;
  const lowest = Math.min(...SANDBOX_PROVIDERS.map((p) => EMULATORS[p].port));
  return EMULATORS[provider].port - lowest + opts.port;
}

/** A URL a browser on this machine can open: 0.0.0.0 is not one, IPv6 needs brackets. */

export async function startSandbox<P extends SandboxProvider = SandboxProvider>(opts: StartSandboxOptions<P> = {}): Promise<Sandbox<P>> {
  const providers = opts.providers ?? (SANDBOX_PROVIDERS as P[]);
  const host = opts.host ?? '127.0.0.1';
  // Only a persisted sandbox records clock readings: in memory, time is read as it always was.
  const clock = opts.dataDir ? journaledClock(createClock()) : createClock();
  const started: FastifyInstance[] = [];
  const close = async () => void (await Promise.all(started.map((app) => app.close())));
  const sandbox = { urls: {}, apps: {}, restored: {}, close } as Record<string, unknown> & { urls: Record<string, string>; apps: Record<string, unknown>; restored: Record<string, ReplayReport> };
  try {
    for (const provider of providers) {
      const { app, ctx, journal } = createInstance(provider, clock, opts as StartSandboxOptions);
      started.push(app);
      if (journal) sandbox.restored[provider] = await restore(app, ctx, journal);
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
