/** The core half of an emulator's context: its store (with the emulator's token formats and apps), limiter, faults, counter and webhook dispatcher. */
import type { Clock } from './clock.js';
import type { EmulatorContext } from './context.js';
import type { Emulator } from './emulator.js';
import { FaultInjector } from './faults.js';
import { RateLimiter } from './limiter.js';
import { RequestCounter } from './request-counter.js';
import { SandboxStore, type SandboxApp } from './store.js';
import { WebhookDispatcher, type DispatcherOptions } from './webhooks.js';

export interface CoreContextOptions {
  seed: number;
  apps: SandboxApp[];
  accessTokenTtlSeconds: number;
  rateLimits: boolean;
  webhooks?: DispatcherOptions;
}

export function createCoreContext(emulator: Pick<Emulator, 'tokenFormats'>, clock: Clock, opts: CoreContextOptions): EmulatorContext {
  const store = new SandboxStore(clock, opts.seed, emulator.tokenFormats);
  for (const a of opts.apps) store.apps.set(a.clientId, { ...a });
  return {
    store,
    clock,
    limiter: new RateLimiter(clock),
    faults: new FaultInjector(opts.seed),
    counter: new RequestCounter(),
    dispatcher: new WebhookDispatcher(clock, opts.webhooks),
    options: { accessTokenTtlSeconds: opts.accessTokenTtlSeconds, rateLimits: opts.rateLimits },
  };
}
