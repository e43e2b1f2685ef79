/**
 * The org's rolling 24-hour allocation, read from `Sforce-Limit-Info` on every answer of the
 * emulator: a listing stops at 95 % of it (quota_exhausted, before the emulator's own 403), the
 * connection test says how much is used and left, and a fresh connector (the next run) goes on once
 * the allocation has room again.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Connector, ListCursor } from '../../src/crm/connector.js';
import { createHttpClient } from '../../src/crm/http.js';
import { ProviderError } from '../../src/crm/provider-error.js';
import { salesforceModule } from '../../src/crm/salesforce/module.js';
import { startSandbox, SANDBOX_APPS, type Sandbox } from '../../src/sandbox/index.js';

let sb: Sandbox<'salesforce'>;
let url: string;
const statuses: number[] = [];

beforeAll(async () => {
  sb = await startSandbox({ providers: ['salesforce'], seed: 5, records: { contacts: 2_000, companies: 50, deals: 30 } });
  url = sb.urls.salesforce;
});
afterAll(() => sb.close());

const admin = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(url + path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
};
/** A small org: `dailyMax` requests in 24 h, none used yet. */
const allocation = (dailyMax: number) => admin('PUT', '/_sandbox/accounts/default/limits', { tier: 'developer', dailyMax });
const used = async () => (await admin('GET', '/_sandbox/accounts/default/limits')).dailyUsed as number;

async function connector(): Promise<Connector> {
  const minted = await admin('POST', '/_sandbox/tokens', {});
  const http = createHttpClient({
    baseUrl: url,
    auth: { token: async () => minted.access_token, refresh: async () => { throw new Error('no refresh in this test'); } },
    limiter: { acquire: async () => {} } as never,
    rateFor: () => ({ key: 'test', rate: null }),
    parseError: salesforceModule.parseError,
    onRequest: (info) => statuses.push(info.status as number),
    maxAttempts: 1,
  });
  const { clientId, clientSecret } = SANDBOX_APPS.salesforce;
  return salesforceModule.connector({
    http, baseUrl: url, connection: {}, currentToken: async () => minted.access_token, lastWindow: () => null,
    endpoints: { mode: 'sandbox', clientId, clientSecret, authorizeUrl: `${url}/services/oauth2/authorize`, tokenUrl: `${url}/services/oauth2/token`, revokeUrl: `${url}/services/oauth2/revoke`, apiBaseUrl: url },
  });
}

/** Lists contacts in full, page by page, until done or refused; the cursor reached and the error. */
async function listContacts(c: Connector, from: ListCursor = { mode: 'full' }) {
  let cursor: ListCursor | null = from;
  let records = 0;
  try {
    while (cursor) {
      const page: Awaited<ReturnType<Connector['listRecords']>> = await c.listRecords('contacts', cursor);
      records += page.records.length;
      cursor = page.next;
    }
    return { records, cursor, error: null };
  } catch (error) {
    return { records, cursor, error: error as ProviderError };
  }
}

describe('the Salesforce daily API allocation', () => {
  beforeEach(() => {
    statuses.length = 0;
  });
  afterAll(() => allocation(110_000));

  it('stops a listing at 95 % of the allocation, before Salesforce refuses, saying how much is used; the next run resumes', async () => {
    await allocation(8);
    // describe, the record count and 200-row pages of 2,000 contacts: more than 95 % of 8 requests.
    const cut = await listContacts(await connector());
    expect(cut.error).toBeInstanceOf(ProviderError);
    expect(cut.error).toMatchObject({ code: 'quota_exhausted', message: expect.stringMatching(/^Salesforce's daily API allocation is \d+% used \(8 of 8 requests|^Salesforce's daily API allocation is 9[5-9]% used/) });
    expect(cut.records).toBeGreaterThan(0);
    expect(cut.records).toBeLessThan(2_000);
    // The emulator never had to refuse: no 403 REQUEST_LIMIT_EXCEEDED for the org's other users.
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(await used()).toBeLessThanOrEqual(8);

    // Requests age out of the 24-hour window: the next run's connector picks up at the same cursor.
    await allocation(110_000);
    const resumed = await listContacts(await connector(), cut.cursor!);
    expect(resumed.error).toBeNull();
    expect(cut.records + resumed.records).toBe(2_000);
  });

  it('shows used and remaining in the connection test, and warns from the stop share on', async () => {
    await allocation(100);
    const c = await connector();
    // The /limits call that reads it is the first request of the day.
    expect((await c.quota!())[0]).toEqual({ name: 'Requests in 24 h', used: 1, limit: 100, resetsAt: null });
    // Each connection test is 4 requests (3 describes, then /limits): 5, 9, … 93 used, then 97.
    const seen: string[] = [];
    for (let run = 0; run < 30; run++) {
      const check = (await c.checks!()).find((one) => one.id === 'allocation')!;
      seen.push(`${check.status}: ${check.message}`);
      if (check.status !== 'pass') break;
    }
    expect(seen[0]).toBe('pass: 5 of 100 API requests used in the last 24 hours (95 left, shared by every integration of the org; syncs pause at 95%).');
    expect(seen.at(-2)).toMatch(/^pass: 93 of 100 API requests used/);
    expect(seen.at(-1)).toMatch(/^warn: Salesforce's daily API allocation is 97% used \(97 of 100 requests in the last 24 hours\)\. Pulse stops syncing at 95% .* Syncs resume once usage is below that\.$/);
  });
});
