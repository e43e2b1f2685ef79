import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseHubspotError } from '../../src/crm/hubspot/errors.js';
import { createHttpClient, type HttpClientOptions } from '../../src/crm/http.js';
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

  function client(parseError: HttpClientOptions['parseError'] = plainErrors) {
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
