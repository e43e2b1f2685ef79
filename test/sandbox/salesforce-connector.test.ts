/**
 * The Salesforce connector against its emulator, for what the conformance suite does not reach: a
 * large object listed through Bulk API 2.0 (and equal to the REST listing), the fallback to REST when
 * a bulk job fails, the connection test's own checks, and an edition without API access.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, ListCursor } from '../../src/crm/connector.js';
import { createHttpClient } from '../../src/crm/http.js';
import type { ObjectType } from '../../src/crm/platforms.js';
import { salesforceModule } from '../../src/crm/salesforce/module.js';
import { startSandbox, SANDBOX_APPS, type Sandbox } from '../../src/sandbox/index.js';

let sb: Sandbox<'salesforce'>;
let url: string;
const requests: string[] = [];

beforeAll(async () => {
  sb = await startSandbox({ providers: ['salesforce'], seed: 3, records: { contacts: 300, companies: 50_500, deals: 250 } });
  url = sb.urls.salesforce;
});
afterAll(() => sb.close());

const admin = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(url + path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
};

async function connector(): Promise<Connector> {
  const minted = await admin('POST', '/_sandbox/tokens', {});
  const http = createHttpClient({
    baseUrl: url,
    auth: { token: async () => minted.access_token, refresh: async () => { throw new Error('no refresh in this test'); } },
    limiter: { acquire: async () => {} } as never,
    rateFor: () => ({ key: 'test', rate: null }),
    parseError: salesforceModule.parseError,
    onRequest: (info) => requests.push(`${info.method} ${info.path} ${info.status}`),
    maxAttempts: 2,
  });
  const { clientId, clientSecret } = SANDBOX_APPS.salesforce;
  return salesforceModule.connector({
    http, baseUrl: url, connection: {}, currentToken: async () => minted.access_token, lastWindow: () => null,
    endpoints: { mode: 'sandbox', clientId, clientSecret, authorizeUrl: `${url}/services/oauth2/authorize`, tokenUrl: `${url}/services/oauth2/token`, revokeUrl: `${url}/services/oauth2/revoke`, apiBaseUrl: url },
  });
}

async function listAll(c: Connector, object: ObjectType) {
  const records = [];
  let cursor: ListCursor | null = { mode: 'full' };
  while (cursor) {
    const page: Awaited<ReturnType<Connector["listRecords"]>> = await c.listRecords(object, cursor);
    records.push(...page.records);
    cursor = page.next;
  }
  return records;
}

describe('the Salesforce connector', () => {
  it('reads records by id in Id IN lists that keep each query URL within bounds, naming the ids it did not find', async () => {
    const c = await connector();
    const listed = await listAll(c, 'contacts');
    const unknown = ['003000009999990AAA', '003000009999991AAA'];
    requests.length = 0;
    const read = await c.readRecords!('contacts', [...listed.map((r) => r.remoteId), ...unknown]);
    const queries = requests.filter((r) => r.startsWith('GET /services/data/v60.0/query'));
    // 300 ids: at most 200 a query (fewer when the select list is long, see readRecords).
    expect(queries).toHaveLength(2);
    expect(read.missing).toEqual(unknown);
    expect(read.records).toHaveLength(listed.length);
    const byId = new Map(listed.map((r) => [r.remoteId, r]));
    for (const record of read.records) expect(record).toEqual(byId.get(record.remoteId));
  });

  it('lists an object above the bulk threshold through a Bulk API 2.0 job, equal to the records export', async () => {
    requests.length = 0;
    const records = await listAll(await connector(), 'companies');
    expect(requests.filter((r) => r.startsWith('POST /services/data/v60.0/jobs/query'))).toHaveLength(1);
    expect(requests.filter((r) => r.includes('/query?') || r.startsWith('GET /services/data/v60.0/query '))).toHaveLength(0);
    const exported = (await (await fetch(`${url}/_sandbox/records/companies`)).text()).split('\n').filter(Boolean).map((line) => JSON.parse(line));
    expect(records).toHaveLength(exported.length);
    const byId = new Map(records.map((r) => [r.remoteId, r]));
    for (const record of exported.slice(0, 500)) {
      // Typed back from CSV: numbers, booleans and nulls as REST sends them.
      expect(byId.get(record.id)!.properties).toEqual(record.properties);
      expect(byId.get(record.id)!.remoteUpdatedAt).toBe(record.updatedAt);
    }
  });

  it('lists a large object through REST when the org has no Bulk API jobs left today, equal to the records export', async () => {
    await admin('PUT', '/_sandbox/settings', { dailyBulkQueryJobs: 0 });
    try {
      requests.length = 0;
      const records = await listAll(await connector(), 'companies');
      expect(requests.filter((r) => r.startsWith('POST /services/data/v60.0/jobs/query'))).toEqual(['POST /services/data/v60.0/jobs/query 403']);
      const exported = (await (await fetch(`${url}/_sandbox/records/companies`)).text()).split('\n').filter(Boolean).map((line) => JSON.parse(line));
      expect(records.map((r) => r.remoteId).sort()).toEqual(exported.map((r) => r.id).sort());
    } finally {
      await admin('PUT', '/_sandbox/settings', { dailyBulkQueryJobs: 10_000 });
    }
  });

  it('lists small objects through REST, with contacts and deals carrying their links', async () => {
    requests.length = 0;
    const c = await connector();
    const deals = await listAll(c, 'deals');
    expect(requests.some((r) => r.includes('jobs/query'))).toBe(false);
    const exported = (await (await fetch(`${url}/_sandbox/records/deals`)).text()).split('\n').filter(Boolean).map((line) => JSON.parse(line));
    expect(deals.map((d) => d.remoteId)).toEqual(exported.map((d: { id: string }) => d.id));
    for (const [i, deal] of deals.entries()) {
      expect(deal.associations).toEqual({ companies: exported[i].associations.companies, contacts: [...exported[i].associations.contacts].sort() });
    }
  });

  it('names the connection after the org (SELECT Name FROM Organization), not the signed-in user', async () => {
    const account = await (await connector()).account();
    expect(account).toMatchObject({ externalAccountId: '00D000031000001AAA', displayName: 'Pulse Demo Org' });
    const minted = await admin('POST', '/_sandbox/tokens', {});
    const org = await (await fetch(`${url}/services/data/v60.0/query?q=${encodeURIComponent('SELECT Id, Name, OrganizationType, IsSandbox FROM Organization')}`, { headers: { authorization: `Bearer ${minted.access_token}` } })).json();
    expect(org).toEqual({
      totalSize: 1, done: true,
      records: [{ attributes: { type: 'Organization', url: '/services/data/v60.0/sobjects/Organization/00D000031000001AAA' }, Id: '00D000031000001AAA', Name: 'Pulse Demo Org', OrganizationType: 'Enterprise Edition', IsSandbox: false }],
    });
  });

  it('answers the connection test\'s own checks from describe and /limits', async () => {
    const checks = await (await connector()).checks!();
    expect(checks.map((check) => [check.id, check.status])).toEqual([
      ['api-access', 'pass'], ['object:contacts', 'pass'], ['object:companies', 'pass'], ['object:deals', 'pass'], ['allocation', 'pass'], ['bulk-jobs', 'pass'],
    ]);
    expect(checks.find((check) => check.id === 'allocation')!.message).toMatch(/of 110,000 API requests used/);
  });

  it('an edition without API access is refused with API_DISABLED_FOR_ORG, which asks for a change in Salesforce', async () => {
    await admin('PUT', '/_sandbox/accounts/default/limits', { tier: 'professional' });
    try {
      await expect((await connector()).countRecords('contacts')).rejects.toMatchObject({ code: 'insufficient_scope', details: { providerCode: 'API_DISABLED_FOR_ORG' } });
    } finally {
      await admin('PUT', '/_sandbox/accounts/default/limits', { tier: 'enterprise' });
    }
  });
});
