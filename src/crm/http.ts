import { setTimeout as delay } from 'node:timers/promises';
import type { ZodType } from 'zod';
import { isOutage, ProviderError, retryable } from './provider-error.js';
import type { Rate, RateLimiter } from './rate-limiter.js';

/**
 * The one HTTP client every provider goes through. Per request: wait for a rate-limit slot, send
 * with the current token and a timeout, refresh the token once on a 401, retry what is worth
 * retrying (network failures, timeouts, 5xx, 429, truncated bodies) with exponential backoff and
 * full jitter, honouring Retry-After. Failures that say the CRM is out of reach (isOutage) are retried
 * for a time window rather than a number of attempts, when the caller gives one: a sync rides out a
 * CRM that is down for a minute, while a connection test still answers at once. Providers plug in
 * only how to read their errors and headers.
 */
export interface HttpClientOptions {
  baseUrl: string;
  /**
   * The access token to send; `refresh` gets a new one after a 401 with the one that failed. A
   * `header` of null sends none (a key that travels in the query instead).
   */
  auth: { token(): Promise<string>; refresh(failed: string): Promise<string>; header?: (token: string) => string | null };
  limiter: RateLimiter;
  /** The limiter key and rate for a request's bucket (e.g. HubSpot's search has its own limit). */
  rateFor(bucket: string): { key: string; rate: Rate | null };
  /** Learn from response headers (rate-limit headers, usage). */
  observe?(headers: Headers, bucket: string): void;
  /** Provider-specific error reading; must return a ProviderError with the right code. */
  parseError(status: number, body: unknown, headers: Headers): ProviderError;
  timeoutMs?: number;
  /** Attempts for failures that are not an outage (and for outages when there is no window). */
  maxAttempts?: number;
  /** How long a request keeps retrying while the CRM is unreachable, from its first such failure (0: no window). */
  outageWindowMs?: number;
  /** A cap on requests in flight for this account, across processes (null: none known yet). */
  concurrency?(): { key: string; max: number } | null;
  /**
   * Credits a call costs, for CRMs that meter calls in credits they do not report: `reserve` charges
   * each attempt before it is sent, or refuses it (quota_exhausted); `refund` gives back a 429's.
   */
  credits?: { cost(method: string, path: string): number; reserve(cost: number): Promise<void>; refund(cost: number): Promise<void> };
  /** Called once per request actually sent (for counts and metrics). */
  onRequest?(info: { method: string; path: string; status: number | 'error'; ms: number }): void;
  /**
   * Told when a request waits for the account's rate limit (a limiter slot, a place under its
   * concurrency cap, a 429's Retry-After) and when it is on the wire: a sync run tells a throttled
   * run from a slow CRM with it (src/sync/rate-limit-waits.ts).
   */
  timeline?: { waiting(): () => void; sending(): () => void };
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  /** Extra request headers (conditional requests: If-Modified-Since). */
  headers?: Record<string, string>;
  body?: unknown;
  bucket?: string;
  signal?: AbortSignal;
  /** How the path appears in messages and metrics when the real one carries a secret (a token). */
  label?: string;
  /**
   * The response shape we rely on (the envelope and the fields we read): a body without them fails
   * with `provider_contract`, naming the path, instead of surfacing later as nulls or a TypeError.
   */
  schema?: ZodType;
  /** Return the body as text, unparsed (CSV results of bulk jobs); `accept` says what to ask for. */
  text?: { accept: string };
}

export interface HttpResponse<T> {
  status: number;
  data: T;
  headers: Headers;
}

export type HttpClient = <T>(method: string, path: string, options?: RequestOptions & { schema?: ZodType<T> }) => Promise<HttpResponse<T>>;

const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 20_000;
/**
 * Probes of a CRM that is down are spaced at most this far apart: once it is back, a sync notices
 * within seconds, and full jitter still spreads many accounts' probes over the whole interval.
 */
const OUTAGE_MAX_DELAY_MS = 10_000;

export function backoffMs(attempt: number, random = Math.random, maxMs = MAX_DELAY_MS): number {
  return Math.round(random() * Math.min(maxMs, BASE_DELAY_MS * 2 ** attempt));
}

/**
 * How long to wait before the next attempt after `error`, or null to give up. Outages spend the
 * time window (from the first one this request met), everything else the attempt budget.
 */
export function retryPlanner({ maxAttempts, outageWindowMs }: { maxAttempts: number; outageWindowMs: number }, now = Date.now) {
  let failures = 0;
  let outageSince: number | null = null;
  let outageRetries = 0;
  return (error: ProviderError): number | null => {
    if (outageWindowMs > 0 && isOutage(error)) {
      outageSince ??= now();
      const left = outageSince + outageWindowMs - now();
      return left > 0 ? Math.min(left, backoffMs(outageRetries++, Math.random, OUTAGE_MAX_DELAY_MS)) : null;
    }
    if (!retryable(error.code) || ++failures >= maxAttempts) return null;
    return error.details.retryAfterMs ?? backoffMs(failures - 1);
  };
}

/**
 * A request path on the base URL. The base's own path stays in front of it: in sandbox mode a
 * connection's base may carry the emulator's region prefix (connection-config.ts), which
 * `new URL(path, base)` would drop. An absolute URL (a CRM's next-page link) is taken as it is.
 */
const withAuthorization = (value: string | null): Record<string, string> => (value === null ? {} : { authorization: value });

export function onBase(base: string, path: string): URL {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return new URL(path);
  return new URL(base.replace(/\/+$/, '') + (path.startsWith('/') ? '' : '/') + path);
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const budget = { maxAttempts: options.maxAttempts ?? 6, outageWindowMs: options.outageWindowMs ?? 0 };
  const authHeader = options.auth.header ?? ((token: string) => `Bearer ${token}`);
  const rateLimitWait = async <T>(wait: () => Promise<T>): Promise<T> => {
    const end = options.timeline?.waiting();
    try {
      return await wait();
    } finally {
      end?.();
    }
  };

  return async function request<T>(method: string, path: string, { query, headers, body, bucket = 'default', signal, label, schema, text: asText }: RequestOptions = {}) {
    const url = onBase(options.baseUrl, path);
    const shown = label ?? url.pathname;
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    let token = await options.auth.token();
    let refreshed = false;
    const nextDelay = retryPlanner(budget);
    // After a failure: wait before the next attempt, or throw it when the budget is spent. A
    // cancelled run stops waiting at once.
    const retryAfter = async (error: ProviderError) => {
      const waitMs = nextDelay(error);
      if (waitMs === null) throw error;
      const wait = () => delay(waitMs, undefined, signal ? { signal } : undefined);
      await (error.code === 'rate_limited' ? rateLimitWait(wait) : wait());
    };

    const cost = options.credits?.cost(method, url.pathname) ?? 0;
    for (;;) {
      signal?.throwIfAborted();
      if (cost > 0) await options.credits!.reserve(cost);
      const { key, rate } = options.rateFor(bucket);
      await rateLimitWait(() => options.limiter.acquire(key, rate));
      // The place is held until the body is read (or the attempt failed): the CRM counts the call in flight until then.
      const cap = options.concurrency?.() ?? null;
      let release = cap && options.limiter.hold ? await rateLimitWait(() => options.limiter.hold!(cap.key, cap.max)) : null;
      const sent = options.timeline?.sending();
      const done = async () => {
        sent?.();
        const held = release;
        release = null;
        await held?.().catch(() => {});
      };
      const started = Date.now();
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: { ...headers, ...withAuthorization(authHeader(token)), accept: asText?.accept ?? 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        await done();
        if (signal?.aborted) throw error;
        options.onRequest?.({ method, path: shown, status: 'error', ms: Date.now() - started });
        await retryAfter(new ProviderError('temporary', `${method} ${shown} failed: ${describeNetworkError(error)}`, { unreachable: true }));
        continue;
      }
      options.onRequest?.({ method, path: shown, status: response.status, ms: Date.now() - started });
      options.observe?.(response.headers, bucket);
      // A call refused for a limit (429) is not charged.
      if (cost > 0 && response.status === 429) await options.credits!.refund(cost).catch(() => {});

      if (response.status === 401 && !refreshed) {
        // An expired or rotated token: refresh once (under the integration's lock) and resend.
        await response.body?.cancel();
        await done();
        refreshed = true;
        token = await options.auth.refresh(token);
        continue;
      }
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        await done();
        await retryAfter(new ProviderError('temporary', `${method} ${shown}: the response broke off (${describeNetworkError(error)})`, { unreachable: true }));
        continue;
      }
      await done();
      if (response.ok && asText) return { status: response.status, data: text as T, headers: response.headers };
      const parsed = parseJson(text);
      // 304 Not Modified answers a conditional request: nothing new, not a failure (the body is empty).
      if (response.ok || response.status === 304) {
        if (text !== '' && parsed === undefined) {
          await retryAfter(new ProviderError('temporary', `${method} ${shown}: the response was not complete JSON (${text.length} bytes)`, { unreachable: true }));
          continue;
        }
        return { status: response.status, data: (schema ? checked(schema, parsed, `${method} ${shown}`) : parsed) as T, headers: response.headers };
      }
      await retryAfter(options.parseError(response.status, parsed ?? text, response.headers));
    }
  };
}

function checked(schema: ZodType, data: unknown, request: string): unknown {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = issue.path.length ? issue.path.join('.') : 'the body';
  throw new ProviderError('provider_contract', `${request} answered in an unexpected shape: ${where}: ${issue.message}`);
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeNetworkError(error: unknown): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return 'timed out';
  return err.cause?.code ?? err.cause?.message ?? err.message;
}
