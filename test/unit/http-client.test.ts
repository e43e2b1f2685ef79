import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseHubspotError } from '../../src/crm/hubspot/errors.js';
import { createHttpClient, retryPlanner, type HttpClientOptions } from '../../src/crm/http.js';
import { ProviderError, retryAfterMs } from '../../src/crm/provider-error.js';

/**
 * The shared HTTP client against a real HTTP server on an ephemeral port: each test scripts the
 * server's answers one request at a time and reads back what arrived (when, with which token).
 */
type Answer = (request: IncomingMessage, response: ServerResponse) => void;

describe('the shared HTTP client (src/crm/http.ts)', () => {
  let server: Server;
  let baseUrl: string;
  let answers: Answer[];
  let seen: { at: number; authorization: string | undefined }[];

  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push({ at: performance.now(), authorization: request.headers.authorization });
      request.resume();
      const answer = answers.shift();
      if (!answer) return json(response, 500, { message: 'the test scripted no answer for this request' });
      answer(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    answers = [];
    seen = [];
  });

  const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
  const ok: Answer = (_request, response) => json(response, 200, { ok: true });
  // HubSpot's body for an expired token.
  const unauthorized: Answer = (_request, response) => json(response, 401, { status: 'error', message: 'The OAuth token used to make this call expired.', category: 'EXPIRED_AUTHENTICATION' });
  const tooMany = (retryAfter: string): Answer => (_request, response) => json(response, 429, { status: 'error', message: 'Too many requests' }, { 'retry-after': retryAfter });

  /** A provider whose errors carry Retry-After only when the response has one (no default wait). */
  const plainErrors: HttpClientOptions['parseError'] = (status, _body, headers) =>
    new ProviderError(status === 429 ? 'rate_limited' : status === 401 ? 'auth_revoked' : 'unknown', `HTTP ${status}`, { status, retryAfterMs: retryAfterMs(headers.get('retry-after')) });

  function client(parseError: HttpClientOptions['parseError'] = plainErrors, extra: Partial<HttpClientOptions> = {}) {
    const refreshes: string[] = [];
    const request = createHttpClient({
      baseUrl,
      auth: {
        token: async () => 'first-token',
        refresh: async (failed) => {
          refreshes.push(failed);
          return 'refreshed-token';
        },
      },
      limiter: { acquire: async () => {} },
      rateFor: () => ({ key: 'test', rate: null }),
      parseError,
      timeoutMs: 5_000,
      ...extra,
    });
    return { request, refreshes };
  }

  describe('Retry-After', () => {
    it('waits the seconds a 429 asks for before the retry', async () => {
      answers = [tooMany('1'), ok];
      const { data } = await client().request<{ ok: boolean }>('GET', '/thing');
      expect(data).toEqual({ ok: true });
      expect(seen).toHaveLength(2);
      // Without Retry-After the first backoff is at most 250 ms.
      expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(950);
    });

    it('waits until the HTTP date a 429 names before the retry', async () => {
      // HTTP dates have whole seconds: two seconds ahead is at least one second away once truncated.
      answers = [tooMany(new Date(Date.now() + 2_000).toUTCString()), ok];
      const { data } = await client().request<{ ok: boolean }>('GET', '/thing');
      expect(data).toEqual({ ok: true });
      expect(seen).toHaveLength(2);
      expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(950);
    });
  });

  describe('a CRM that is down', () => {
    const unavailable: Answer = (_request, response) => {
      response.writeHead(503, { 'content-type': 'text/html' });
      response.end('<html><body>503 Service Unavailable</body></html>');
    };
    const drop: Answer = (request) => request.socket.destroy();

    it('is retried past the attempt budget while the outage window lasts, then answers', async () => {
      // Four failures in a row would spend a budget of two attempts; the window waits them out.
      answers = [drop, unavailable, drop, unavailable, ok];
      const { request } = client(parseHubspotError, { maxAttempts: 2, outageWindowMs: 60_000 });
      const { data } = await request<{ ok: boolean }>('GET', '/thing');
      expect(data).toEqual({ ok: true });
      expect(seen).toHaveLength(5);
    });

    it('keeps the attempt budget without a window (a connection test answers at once)', async () => {
      answers = [drop, unavailable, ok];
      const error = await client(parseHubspotError, { maxAttempts: 2 }).request('GET', '/thing').then(() => undefined, (e: unknown) => e);
      expect((error as ProviderError).code).toBe('temporary');
      expect(seen).toHaveLength(2);
    });

    it('fails with temporary once the window is spent', async () => {
      answers = Array.from({ length: 100 }, () => unavailable);
      const started = performance.now();
      const error = await client(parseHubspotError, { outageWindowMs: 1_500 }).request('GET', '/thing').then(() => undefined, (e: unknown) => e);
      expect((error as ProviderError).code).toBe('temporary');
      expect((error as ProviderError).message).toMatch(/503/);
      expect(performance.now() - started).toBeGreaterThanOrEqual(1_400);
      expect(performance.now() - started).toBeLessThan(4_000);
    });

    it('stops waiting at once when the run is cancelled', async () => {
      answers = Array.from({ length: 100 }, () => drop);
      const cancel = new AbortController();
      const waiting = client(parseHubspotError, { outageWindowMs: 600_000 }).request('GET', '/thing', { signal: cancel.signal }).then(() => undefined, (e: unknown) => e);
      await new Promise((resolve) => setTimeout(resolve, 800));
      const cancelledAt = performance.now();
      cancel.abort();
      const error = await waiting;
      expect(performance.now() - cancelledAt).toBeLessThan(200);
      expect((error as Error).name).toBe('AbortError');
    });
  });

  describe('the retry plan', () => {
    const outage = new ProviderError('temporary', 'HTTP 503', { status: 503 });
    const refused = new ProviderError('temporary', 'ECONNREFUSED', { unreachable: true });

    it('spends the time window on outages, each wait capped and inside the window', () => {
      let now = 0;
      const plan = retryPlanner({ maxAttempts: 6, outageWindowMs: 60_000 }, () => now);
      for (let failure = 0; failure < 12; failure++) {
        const wait = plan(failure % 2 ? outage : refused);
        expect(wait).not.toBeNull();
        expect(wait!).toBeLessThanOrEqual(10_000);
        now += Math.max(wait!, 1_000);
      }
      now = 60_000;
      expect(plan(outage)).toBeNull();
    });

    it('keeps six attempts for what is not an outage: a 500, or any failure without a window', () => {
      for (const [error, window] of [[new ProviderError('temporary', 'HTTP 500', { status: 500 }), 60_000], [outage, 0]] as const) {
        const plan = retryPlanner({ maxAttempts: 6, outageWindowMs: window }, () => 0);
        const waits = Array.from({ length: 6 }, () => plan(error));
        expect(waits.slice(0, 5).every((wait) => wait !== null)).toBe(true);
        expect(waits[5]).toBeNull();
      }
    });

    it('honours Retry-After on a 429, and never retries an auth or permission failure', () => {
      const plan = retryPlanner({ maxAttempts: 6, outageWindowMs: 60_000 }, () => 0);
      expect(plan(new ProviderError('rate_limited', 'HTTP 429', { status: 429, retryAfterMs: 1_234 }))).toBe(1_234);
      expect(plan(new ProviderError('auth_revoked', 'HTTP 401', { status: 401 }))).toBeNull();
      expect(plan(new ProviderError('insufficient_scope', 'HTTP 403', { status: 403 }))).toBeNull();
    });
  });

  describe('a 401', () => {
    it('refreshes once with the token that failed, then resends with the new token', async () => {
      answers = [unauthorized, ok];
      const { request, refreshes } = client(parseHubspotError);
      const { data } = await request<{ ok: boolean }>('GET', '/thing');
      expect(data).toEqual({ ok: true });
      expect(refreshes).toEqual(['first-token']);
      expect(seen.map((s) => s.authorization)).toEqual(['Bearer first-token', 'Bearer refreshed-token']);
    });

    it('is not refreshed a second time: a 401 after the refresh is auth_revoked', async () => {
      answers = [unauthorized, unauthorized, ok];
      const { request, refreshes } = client(parseHubspotError);
      const error = await request('GET', '/thing').then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).code).toBe('auth_revoked');
      expect(refreshes).toEqual(['first-token']);
      expect(seen.map((s) => s.authorization)).toEqual(['Bearer first-token', 'Bearer refreshed-token']);
    });
  });
});
