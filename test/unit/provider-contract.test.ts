import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionEndpoints } from '../../src/crm/connection-config.js';
import { createHttpClient } from '../../src/crm/http.js';
import { hubspotModule } from '../../src/crm/hubspot/module.js';
import { recordList } from '../../src/crm/hubspot/responses.js';
import { ProviderError } from '../../src/crm/provider-error.js';

/**
 * What a CRM sends is checked where it enters. A real HTTP server plays a CRM that answers in the
 * wrong shape; the connector must fail with provider_contract naming the path, not store nulls.
 */
let server: Server;
let baseUrl: string;
let answer: unknown;

beforeAll(async () => {
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const http = () => createHttpClient({
  baseUrl,
  auth: { token: async () => 't', refresh: async () => 't' },
  limiter: { acquire: async () => {} },
  rateFor: () => ({ key: 'test', rate: null }),
  parseError: hubspotModule.parseError,
  maxAttempts: 1,
});

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => null, (reason: unknown) => reason);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('responses checked at the connector boundary', () => {
  it('names the path of the first field that is not what we read', async () => {
    answer = { results: [{ id: '1', properties: {} }, { id: 2, properties: {} }] };
    const error = await failure(http()('GET', '/crm/v3/objects/contacts', { schema: recordList }));
    expect(error.code).toBe('provider_contract');
    expect(error.message).toMatch(/^GET \/crm\/v3\/objects\/contacts answered in an unexpected shape: results\.1\.id: /);
  });

  it('passes fields the CRM added and returns the body as sent', async () => {
    answer = { results: [{ id: '1', properties: { email: 'a@b.c' }, somethingNew: true }], paging: { next: { after: '1', link: '?after=1' } } };
    const { data } = await http()('GET', '/crm/v3/objects/contacts', { schema: recordList });
    expect(data).toEqual(answer);
  });

  it("fails a HubSpot listing without `results` instead of syncing nothing", async () => {
    answer = { items: [] };
    const endpoints = { mode: 'configured' as const, clientId: 'c', clientSecret: 's', authorizeUrl: baseUrl, tokenUrl: baseUrl, apiBaseUrl: baseUrl };
    const connector = hubspotModule.connector({
      http: http(), baseUrl, endpoints: connectionEndpoints('hubspot', endpoints, {}), connection: {}, currentToken: async () => 't', lastWindow: () => null,
    });
    const error = await failure(connector.listRecords('contacts', { mode: 'full' }));
    expect(error.code).toBe('provider_contract');
    expect(error.message).toMatch(/results: /);
  });
});
