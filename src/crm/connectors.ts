import type { AppContext } from '../app-context.js';
import type { Integration } from '../db/integrations-repository.js';
import { connectionEndpoints, type ConnectionConfig } from './connection-config.js';
import type { AccountLimits, ConnectorDeps, RateWindow } from './connector-module.js';
import { creditMeter } from './credit-meter.js';
import type { Connector, ListingSelection } from './connector.js';
import { createHttpClient, type HttpClientOptions } from './http.js';
import { moduleFor } from './modules.js';
import { platforms, type PlatformId } from './platforms.js';
import type { Rate, RateLimiter } from './rate-limiter.js';
import type { TokenSource } from './tokens.js';

/**
 * Builds a CRM's connector over the shared HTTP client, from its module: how to read its errors,
 * which headers announce its rate limit, which requests have limits of their own. Nothing here
 * names a CRM.
 */
export interface ConnectorTarget {
  platform: PlatformId;
  /** The CRM account the limiter counts against (HubSpot portal id…); unknown before connect. */
  externalAccountId: string | null;
  /** Where the account lives (connection-config.ts); {} for CRMs with one API origin. */
  connectionConfig?: ConnectionConfig;
  tokens: TokenSource;
  /** What the integration's settings ask of a listing (mapped properties, filters); absent: the defaults. */
  selection?: ListingSelection;
}

export interface ConnectorServices {
  limiter: RateLimiter;
  onRequest?: HttpClientOptions['onRequest'];
  /** A sync run measures how long its requests wait for the account's rate limit (see http.ts). */
  timeline?: HttpClientOptions['timeline'];
  /** Sync runs wait out a CRM that is down this long (see http.ts); other callers answer at once. */
  outageWindowMs?: number;
}

export function createConnector(ctx: AppContext, services: ConnectorServices, target: ConnectorTarget): Connector {
  return moduleFor(target.platform).connector(connectorDeps(ctx, services, target));
}

/** What a CRM's code (its connector, its module's hooks) is built on for one connection: the HTTP client with its auth, limits and retries. */
export function connectorDeps(ctx: AppContext, services: ConnectorServices, target: ConnectorTarget): ConnectorDeps {
  const module = moduleFor(target.platform);
  const connection = target.connectionConfig ?? {};
  const endpoints = connectionEndpoints(target.platform, ctx.endpoints(target.platform), connection);
  const account = `${target.platform}:${target.externalAccountId ?? 'unknown'}`;
  const { fixed = {}, readWindow, declared, credits } = module.rateLimits;
  let learned: { concurrency?: number | null; creditsPer24h?: number | null } | null = null;
  // Counted per connected account (a connection being made has none yet), in the database (a
  // connector built without one, as a unit test does, counts nothing).
  const meter = credits && target.externalAccountId && ctx.db ? creditMeter(ctx.db.pool, `${account}:credits`, platforms[target.platform].name, () => learned?.creditsPer24h ?? null) : null;
  const limits: AccountLimits = {
    learn: (found) => void (learned = { ...learned, ...found }),
    known: () => learned !== null,
    creditsUsed: async () => (meter ? meter.used() : null),
  };

  let window: RateWindow | null = null;
  const accountRate = (): Rate | null => (window ? { max: window.max, windowMs: window.intervalMs } : declared ?? null);
  // A CRM that announces its window: until a response has been seen, one request goes alone and the
  // others wait for it. Requests sent side by side before the rate is known would not be counted by
  // the limiter and could overflow the first window (one 429 per first sync of an account, measured
  // by the bench). Once the rate is known, the lone request's slot is taken on its behalf before the
  // others go: otherwise they would fill a whole window after it (one over the limit in a window of
  // a few requests, found by the conformance suite).
  let firstAnswer: Promise<void> | null = null;
  let answered = () => {};
  const limiter: RateLimiter = !readWindow ? services.limiter : {
    hold: services.limiter.hold?.bind(services.limiter),
    async acquire(key, known) {
      if (known || key !== account) return services.limiter.acquire(key, known);
      if (firstAnswer) {
        await firstAnswer;
        return services.limiter.acquire(key, accountRate());
      }
      firstAnswer = new Promise<void>((resolve) => (answered = resolve)).then(async () => {
        const rate = accountRate();
        if (rate) await services.limiter.acquire(key, rate).catch(() => {});
      });
      // If even the limiter fails, the requests waiting for this one must not wait forever.
      return services.limiter.acquire(key, null).catch((error) => {
        answered();
        throw error;
      });
    },
  };
  const http = createHttpClient({
    baseUrl: endpoints.apiBaseUrl,
    auth: { ...target.tokens, header: module.authorization },
    limiter,
    parseError: module.parseError,
    // Called after every attempt, answered or failed: a failed first request must not hold the rest.
    onRequest: (info) => {
      answered();
      services.onRequest?.(info);
    },
    timeline: services.timeline,
    timeoutMs: ctx.config.PULSE_HTTP_TIMEOUT_MS,
    outageWindowMs: services.outageWindowMs,
    concurrency: () => (learned?.concurrency ? { key: `${account}:concurrent`, max: learned.concurrency } : null),
    credits: meter && credits ? { cost: credits.cost, reserve: meter.reserve, refund: meter.refund } : undefined,
    rateFor: (bucket) => (fixed[bucket] ? { key: `${account}:${bucket}`, rate: fixed[bucket] } : { key: account, rate: accountRate() }),
    observe(headers) {
      window = readWindow?.(headers) ?? window;
    },
  });
  return {
    http, baseUrl: endpoints.apiBaseUrl, endpoints, connection, currentToken: () => target.tokens.token(), lastWindow: () => window, limits, selection: target.selection,
  };
}

/** A stored integration's connector: its account, where it lives, tokens refreshed by the token manager. */
export function integrationConnector(ctx: AppContext, integration: Integration, services: ConnectorServices = ctx.services, selection?: ListingSelection): Connector {
  return createConnector(ctx, services, { ...integrationTarget(ctx, integration), selection });
}

export function integrationTarget(ctx: AppContext, integration: Integration): ConnectorTarget {
  return {
    platform: integration.platform, externalAccountId: integration.externalAccountId, connectionConfig: integration.connectionConfig,
    tokens: ctx.services.tokens.source(integration),
  };
}
