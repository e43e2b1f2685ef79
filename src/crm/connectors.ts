import type { AppContext } from '../server/context.js';
import type { Connector } from './connector.js';
import { createHttpClient, type HttpClientOptions } from './http.js';
import { hubspotConnector } from './hubspot/connector.js';
import { parseHubspotError } from './hubspot/errors.js';
import { hubspotLimits } from './hubspot/spec.js';
import type { PlatformId } from './platforms.js';
import type { Rate, RateLimiter } from './rate-limiter.js';
import type { TokenSource } from './tokens.js';

/**
 * Builds a provider's connector over the shared HTTP client. What differs per provider is small and
 * listed here: how to read its errors, which headers announce its rate limit, which requests have
 * limits of their own.
 */
export interface ConnectorTarget {
  platform: PlatformId;
  /** The CRM account the limiter counts against (HubSpot portal id…); unknown before connect. */
  externalAccountId: string | null;
  tokens: TokenSource;
}

export interface ConnectorServices {
  limiter: RateLimiter;
  onRequest?: HttpClientOptions['onRequest'];
}

export class UnsupportedPlatformError extends Error {
  override name = 'UnsupportedPlatformError';
}

export function createConnector(ctx: AppContext, services: ConnectorServices, target: ConnectorTarget): Connector {
  const baseUrl = ctx.endpoints(target.platform).apiBaseUrl;
  const account = `${target.platform}:${target.externalAccountId ?? 'unknown'}`;
  switch (target.platform) {
    case 'hubspot': {
      // HubSpot announces the window on every non-search response; learn it rather than assume a tier.
      let window: { max: number; remaining: number; intervalMs: number } | null = null;
      const rate = (): Rate | null => (window ? { max: window.max, windowMs: window.intervalMs } : null);
      // Until a response has been seen, one request goes alone and the others wait for it: requests
      // sent side by side before the rate is known would not be counted by the limiter and could
      // overflow the first window (one 429 per first sync of an account, measured by the bench).
      let firstAnswer: Promise<void> | null = null;
      let answered = () => {};
      const limiter: RateLimiter = {
        async acquire(key, known) {
          if (known || key !== account) return services.limiter.acquire(key, known);
          if (firstAnswer) {
            await firstAnswer;
            return services.limiter.acquire(key, rate());
          }
          firstAnswer = new Promise((resolve) => (answered = resolve));
          // If even the limiter fails, the requests waiting for this one must not wait forever.
          return services.limiter.acquire(key, null).catch((error) => {
            answered();
            throw error;
          });
        },
      };
      const http = createHttpClient({
        baseUrl,
        auth: target.tokens,
        limiter,
        parseError: parseHubspotError,
        // Called after every attempt, answered or failed: a failed first request must not hold the rest.
        onRequest: (info) => {
          answered();
          services.onRequest?.(info);
        },
        timeoutMs: ctx.config.PULSE_HTTP_TIMEOUT_MS,
        rateFor: (bucket): { key: string; rate: Rate | null } =>
          bucket === 'search'
            ? { key: `${account}:search`, rate: hubspotLimits.searchRate }
            : { key: account, rate: rate() },
        observe(headers) {
          const max = Number(headers.get(hubspotLimits.headers.max));
          const intervalMs = Number(headers.get(hubspotLimits.headers.interval));
          const remaining = Number(headers.get(hubspotLimits.headers.remaining));
          if (max > 0 && intervalMs > 0) window = { max, intervalMs, remaining: Number.isFinite(remaining) ? remaining : max };
        },
      });
      return hubspotConnector({ http, baseUrl, currentToken: () => target.tokens.token(), lastWindow: () => window });
    }
    default:
      throw new UnsupportedPlatformError(`${target.platform} is described in the registry but its connector is not built yet.`);
  }
}
