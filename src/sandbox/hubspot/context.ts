/** Everything a HubSpot route needs, created once per sandbox and passed to each route module. */
import type { FastifyRequest } from 'fastify';
import type { FaultInjector } from '../core/faults.js';
import type { RateLimiter } from '../core/limiter.js';
import type { RequestCounter } from '../core/request-counter.js';
import type { SandboxAccount, SandboxStore } from '../core/store.js';
import type { AccessToken } from '../core/tokens.js';
import type { WebhookDispatcher } from '../core/webhooks.js';
import type { ObjectType } from './objects.js';
import type { WebhookRegistry } from './webhook-registry.js';

export interface HubspotOptions {
  accessTokenTtlSeconds: number;
  rateLimits: boolean;
  /** The developer API key (`hapikey`) accepted by the webhooks management API. */
  developerApiKey: string;
  anchor: number;
}

/** A change to a record, reported to webhook subscriptions. */
export type RecordChange =
  | { kind: 'creation' | 'deletion' | 'restore'; type: ObjectType; id: number; source: string }
  | { kind: 'propertyChange'; type: ObjectType; id: number; source: string; properties: Record<string, string> }
  | { kind: 'associationChange'; type: ObjectType; id: number; source: string; toType: ObjectType; toId: number; removed: boolean };

export interface HubspotContext {
  store: SandboxStore;
  limiter: RateLimiter;
  faults: FaultInjector;
  counter: RequestCounter;
  dispatcher: WebhookDispatcher;
  webhooks: WebhookRegistry;
  options: HubspotOptions;
  emit(accountId: number, change: RecordChange): void;
}

/** Route options read by the shared hooks. */
export interface RouteConfig {
  /** Bucket in the request counts (list, get, search, batch, write, token, ...). */
  kind: string;
  /** Scope(s) of which the token needs one; absent = no bearer auth on this route. */
  scopes?: (req: FastifyRequest) => string[] | undefined;
  /** Which rate limit applies. */
  limit?: 'api' | 'search';
  admin?: boolean;
}

export interface RequestState {
  account: SandboxAccount;
  token?: AccessToken;
  truncate?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    hs: RequestState;
  }
  interface FastifyContextConfig {
    /** Sandbox route metadata; one key so the augmentation stays out of the app's way. */
    sandbox?: RouteConfig;
  }
}
