/**
 * The parts of an emulator's state the shared pipeline and admin API work on. Each emulator's own
 * context extends this one (e.g. with its webhook subscriptions), so core code never needs to know
 * which CRM it serves.
 */
import type { FastifyRequest } from 'fastify';
import type { Clock } from './clock.js';
import type { FaultInjector } from './faults.js';
import type { RateLimiter } from './limiter.js';
import type { RequestCounter } from './request-counter.js';
import type { SandboxAccount, SandboxStore } from './store.js';
import type { AccessToken } from './tokens.js';
import type { WebhookDispatcher } from './webhooks.js';

export interface CoreOptions {
  accessTokenTtlSeconds: number;
  /** false = no rate limiting at all, whatever an account's tier says. */
  rateLimits: boolean;
}

export interface EmulatorContext {
  store: SandboxStore;
  /** Shared by every emulator of one sandbox: time moves for all CRMs at once. */
  clock: Clock;
  limiter: RateLimiter;
  faults: FaultInjector;
  counter: RequestCounter;
  dispatcher: WebhookDispatcher;
  options: CoreOptions;
}

/** Route options read by the pipeline (`config: { sandbox: {...} }` on each route). */
export interface RouteConfig {
  /** Bucket in the request counts (list, get, search, batch, write, token, ...). */
  kind: string;
  /** Scope(s) of which the token needs one; absent = no bearer auth on this route. */
  scopes?: (req: FastifyRequest) => string[] | undefined;
  /** Which rate limit applies: the burst window + daily quota, or the per-second search limit + daily quota. */
  limit?: 'api' | 'search';
  /** Admin routes skip the whole pipeline and are not counted. */
  admin?: boolean;
  /** A POST that only reads (a batch read): a persisted emulator need not journal it. */
  readOnly?: boolean;
}

/** What the pipeline learnt about a request, for the route handlers. */
export interface RequestState {
  account: SandboxAccount;
  token?: AccessToken;
  truncate?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    sandbox: RequestState;
  }
  interface FastifyContextConfig {
    /** Sandbox route metadata; one key so the augmentation stays out of the app's way. */
    sandbox?: RouteConfig;
  }
}
