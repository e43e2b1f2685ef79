/**
 * HubSpot's official Node SDK drives the emulator through `basePath`, unchanged. Where it fails, the
 * emulator is wrong.
 */
import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/models/Filter.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { admin, APP, approveConsent, exportRecords, mintToken, REDIRECT_URI } from './helpers.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, seed: 7, records: 1500 });
});
afterAll(() => sb.close());

const client = (accessToken: string) => new Client({ accessToken, basePath: sb.urls.hubspot, numberOfApiCallRetries: 0 });

async function apiError(p: Promise<unknown>): Promise<{ code: number; body: any }> {
  try {
    await p;
  } catch (e) {
    return e as { code: number; body: any };
  }
  throw new Error('expected the SDK call to fail');
}

describe('OAuth through the SDK', () => {
  it('exchanges a code from the consent page and refreshes the token', async () => {
    const redirect = await approveConsent(sb);
    expect(redirect.get('state')).toBe('st-1');
    const oauth = new Client({ basePath: sb.urls.hubspot });
    const tokens = await oauth.oauth.tokensApi.create('authorization_code', redirect.get('code')!, REDIRECT_URI, APP.clientId, APP.clientSecret);
    expect(tokens).toMatchObject({ tokenType: 'bearer', expiresIn: 1800 });
    expect(tokens.accessToken.length).toBeGreaterThan(100);

    const refreshed = await oauth.oauth.tokensApi.create('refresh_token', undefined, undefined, APP.clientId, APP.clientSecret, tokens.refreshToken);
    expect(refreshed.refreshToken).toBe(tokens.refreshToken);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);

    const info = await oauth.oauth.accessTokensApi.get(refreshed.accessToken);
    expect(info).toMatchObject({ hubId: sb.hubspot.store.defaultAccountId, appId: APP.appId, tokenType: 'access' });
    expect(info.scopes).toContain('crm.objects.contacts.read');

    const reused = await apiError(oauth.oauth.tokensApi.create('authorization_code', redirect.get('code')!, REDIRECT_URI, APP.clientId, APP.clientSecret));
    expect(reused.code).toBe(400);
    expect(reused.body).toMatchObject({ status: 'BAD_AUTH_CODE' });
  });
});

describe('CRM v3 through the SDK', () => {
  it('lists every contact by paging to the end', async () => {
    const { access_token } = await mintToken(sb);
    const all = await client(access_token).crm.contacts.getAll(100);
    const expected = await exportRecords(sb, 'contacts');
    expect(all.map((c) => c.id)).toEqual(expected.map((r) => r.id));
    expect(all[0]!.createdAt).toBeInstanceOf(Date);
    expect(typeof all[0]!.properties.email).toBe('string');
  });

  it('searches contacts modified since a time, paging with after', async () => {
    const { access_token } = await mintToken(sb);
    const expected = await exportRecords(sb, 'contacts');
    const since = [...expected].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))[expected.length - 250]!.updatedAt;
    const want = expected.filter((r) => r.updatedAt >= since).map((r) => r.id);
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await client(access_token).crm.contacts.searchApi.doSearch({
        filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: FilterOperatorEnum.Gte, value: String(Date.parse(since)) }] }],
        sorts: ['lastmodifieddate'],
        properties: ['email', 'lastmodifieddate'],
        limit: 200,
        after,
      });
      expect(page.total).toBe(want.length);
      seen.push(...page.results.map((r) => r.id));
      after = page.paging?.next?.after;
    } while (after);
    expect(seen.sort()).toEqual([...want].sort());
  });

  it('creates, updates and archives in batches', async () => {
    const { access_token } = await mintToken(sb);
    const hs = client(access_token);
    const created = await hs.crm.contacts.batchApi.create({
      inputs: [1, 2, 3].map((i) => ({ properties: { email: `batch${i}@example.org`, firstname: `B${i}` }, associations: [] })),
    });
    expect(created.status).toBe('COMPLETE');
    expect(created.results).toHaveLength(3);
    const ids = created.results.map((r) => r.id);
    const updated = await hs.crm.contacts.batchApi.update({ inputs: ids.map((id) => ({ id, properties: { lastname: 'Updated' } })) });
    expect(updated.results.map((r) => r.properties.lastname)).toEqual(['Updated', 'Updated', 'Updated']);
    await hs.crm.contacts.batchApi.archive({ inputs: ids.map((id) => ({ id })) });
    const archived = await exportRecords(sb, 'contacts', 'true');
    expect(archived.map((r) => r.id)).toEqual(expect.arrayContaining(ids));
    const read = await hs.crm.contacts.batchApi.read({ inputs: [{ id: ids[0]! }], properties: ['email'], propertiesWithHistory: [] });
    expect(read).toMatchObject({ numErrors: 1, results: [] });
  });

  it('surfaces 401, 403, 404 and 429 as the SDK expects', async () => {
    expect((await apiError(client('not-a-token').crm.contacts.basicApi.getPage(10))).code).toBe(401);

    const readOnly = await mintToken(sb, { scopes: ['crm.objects.contacts.read'] });
    const forbidden = await apiError(client(readOnly.access_token).crm.deals.basicApi.getPage(10));
    expect(forbidden.code).toBe(403);
    expect(forbidden.body).toMatchObject({ category: 'MISSING_SCOPES' });

    const { access_token } = await mintToken(sb);
    const missing = await apiError(client(access_token).crm.contacts.basicApi.getById('99999999'));
    expect(missing.code).toBe(404);
    expect(missing.body).toMatchObject({ category: 'OBJECT_NOT_FOUND' });

    await admin(sb, 'POST', '/faults', { kind: 429, next: 1, pathPrefix: '/crm/v3/objects/companies' });
    const limited = await apiError(client(access_token).crm.companies.basicApi.getPage(10));
    expect(limited.code).toBe(429);
    expect(limited.body).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING', errorType: 'RATE_LIMIT' });
  });
});
