/**
 * Issue 12 item 7: the HubSpot emulator answers as HubSpot does on associations read from either side,
 * v4 association paging, batch read of archived records, error bodies, token metadata, and the
 * switchable search realism (index lag, shuffled ties). Each behaviour's source is in
 * src/sandbox/hubspot/README.md.
 */
import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { admin, api, APP, exportRecords, mintToken } from './helpers.js';

let sb: Sandbox;
let token: string;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, seed: 12, records: 600, rateLimits: false });
  token = (await mintToken(sb)).access_token;
});
afterAll(() => sb.close());

const client = (accessToken: string) => new Client({ accessToken, basePath: sb.urls.hubspot, numberOfApiCallRetries: 0 });

/** Every (from → to) link of the export, as sorted "fromId>toId" strings, read from either side. */
async function linkPairs(from: string, to: string) {
  const forward = (await exportRecords(sb, from)).flatMap((r) => (r.associations[to] ?? []).map((id) => `${r.id}>${id}`));
  const backward = (await exportRecords(sb, to)).flatMap((r) => (r.associations[from] ?? []).map((id) => `${id}>${r.id}`));
  return { forward: forward.sort(), backward: backward.sort() };
}

/** A company with at least `n` seeded contacts, and those contacts' ids (their primary company is it). */
async function companyWithContacts(n: number) {
  const contacts = await exportRecords(sb, 'contacts');
  const byCompany = new Map<string, string[]>();
  for (const c of contacts) {
    const company = c.associations.companies?.[0];
    if (company) byCompany.set(company, [...(byCompany.get(company) ?? []), c.id]);
  }
  const [companyId, ids] = [...byCompany].find(([, ids]) => ids.length >= n)!;
  return { companyId, contactIds: ids };
}

describe('seeded associations read the same from both sides', () => {
  it('lists every seeded link from both records in the admin export', async () => {
    for (const [from, to] of [['contacts', 'companies'], ['deals', 'companies'], ['deals', 'contacts']] as const) {
      const { forward, backward } = await linkPairs(from, to);
      expect(forward.length).toBeGreaterThan(0);
      expect(backward).toEqual(forward);
    }
  });

  it('lists a company its contacts inline, primary ones with the primary label', async () => {
    const { companyId, contactIds } = await companyWithContacts(2);
    const res = await api(sb, token, 'GET', `/crm/v3/objects/companies/${companyId}?associations=contacts`);
    expect(res.status).toBe(200);
    const results = res.body.associations.contacts.results as { id: string; type: string }[];
    expect(results.filter((r) => r.type === 'company_to_contact').map((r) => r.id).sort()).toEqual([...contactIds].sort());
    expect(results.filter((r) => r.type === 'company_to_contact_unlabeled').map((r) => r.id).sort()).toEqual([...contactIds].sort());
    const contact = await api(sb, token, 'GET', `/crm/v3/objects/contacts/${contactIds[0]}?associations=companies`);
    expect(contact.body.associations.companies.results).toEqual([
      { id: companyId, type: 'contact_to_company' },
      { id: companyId, type: 'contact_to_company_unlabeled' },
    ]);
  });

  it('answers v4 reads from the company side with type 2 Primary and 280', async () => {
    const { companyId, contactIds } = await companyWithContacts(2);
    const res = await api(sb, token, 'GET', `/crm/v4/objects/companies/${companyId}/associations/contacts`);
    expect(res.status).toBe(200);
    expect(res.body.paging).toBeUndefined();
    expect(res.body.results.map((r: any) => String(r.toObjectId))).toEqual([...contactIds].sort((a, b) => Number(a) - Number(b)));
    expect(res.body.results[0].associationTypes).toEqual([
      { category: 'HUBSPOT_DEFINED', typeId: 2, label: 'Primary' },
      { category: 'HUBSPOT_DEFINED', typeId: 280, label: null },
    ]);
  });

  it('lists a contact its seeded deals and a company its deals through v4 batch read', async () => {
    const deals = await exportRecords(sb, 'deals');
    const deal = deals.find((d) => d.associations.contacts?.length && d.associations.companies?.length)!;
    const contactId = deal.associations.contacts![0]!;
    const companyId = deal.associations.companies![0]!;
    const byContact = await api(sb, token, 'POST', '/crm/v4/associations/contacts/deals/batch/read', { inputs: [{ id: contactId }] });
    expect(byContact.status).toBe(200);
    expect(byContact.body.results[0].to).toContainEqual({ toObjectId: Number(deal.id), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 4, label: null }] });
    const byCompany = await api(sb, token, 'POST', '/crm/v4/associations/companies/deals/batch/read', { inputs: [{ id: companyId }] });
    expect(byCompany.body.results[0].to).toContainEqual({
      toObjectId: Number(deal.id),
      associationTypes: [
        { category: 'HUBSPOT_DEFINED', typeId: 6, label: 'Primary' },
        { category: 'HUBSPOT_DEFINED', typeId: 342, label: null },
      ],
    });
  });

  it('keeps a company’s seeded contacts when a contact is linked to it through the API', async () => {
    const { companyId, contactIds } = await companyWithContacts(2);
    const other = (await exportRecords(sb, 'contacts')).find((c) => !c.associations.companies?.length)!;
    const put = await api(sb, token, 'PUT', `/crm/v4/objects/contacts/${other.id}/associations/default/companies/${companyId}`);
    expect(put.status).toBe(200);
    const res = await api(sb, token, 'GET', `/crm/v4/objects/companies/${companyId}/associations/contacts`);
    const ids = res.body.results.map((r: any) => String(r.toObjectId));
    expect(ids).toEqual(expect.arrayContaining([...contactIds, other.id]));
    // The new link is the contact's only company, so it is its primary one: reported so from both sides.
    const added = res.body.results.find((r: any) => String(r.toObjectId) === other.id);
    expect(added.associationTypes.map((t: any) => t.typeId)).toEqual([2, 280]);
  });
});

describe('v4 association paging', () => {
  it('pages one record’s associations with limit and after, and refuses a bad limit', async () => {
    const { companyId, contactIds } = await companyWithContacts(3);
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const res = await api(sb, token, 'GET', `/crm/v4/objects/companies/${companyId}/associations/contacts?limit=2${after ? `&after=${after}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.results.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.results.map((r: any) => String(r.toObjectId)));
      after = res.body.paging?.next?.after;
      pages++;
    } while (after);
    expect(seen).toEqual([...contactIds].sort((a, b) => Number(a) - Number(b)));
    expect(pages).toBe(Math.ceil(contactIds.length / 2));
    expect((await api(sb, token, 'GET', `/crm/v4/objects/companies/${companyId}/associations/contacts?limit=0`)).status).toBe(400);
  });

  it('pages through the SDK’s basicApi.getPage', async () => {
    const { companyId, contactIds } = await companyWithContacts(3);
    const sdk = client(token).crm.associations.v4.basicApi;
    const first = await sdk.getPage('companies', companyId, 'contacts', undefined, 2);
    expect(first.results).toHaveLength(2);
    expect(first.paging?.next?.after).toBe(String(first.results[1]!.toObjectId));
    const second = await sdk.getPage('companies', companyId, 'contacts', first.paging!.next!.after, 500);
    expect([...first.results, ...second.results].map((r) => String(r.toObjectId))).toEqual([...contactIds].sort((a, b) => Number(a) - Number(b)));
    expect(second.paging).toBeUndefined();
  });

  it('pages v4 batch read past 500 links per input with the input’s after', async () => {
    const big = await startSandbox({ port: 0, seed: 3, records: { contacts: 1200, companies: 2, deals: 0 }, rateLimits: false });
    try {
      const t = (await mintToken(big)).access_token;
      const companies = await (await fetch(`${big.urls.hubspot}/_sandbox/records/companies`)).text();
      const { id, associations } = JSON.parse(companies.split('\n')[0]!) as { id: string; associations: { contacts: string[] } };
      expect(associations.contacts.length).toBeGreaterThan(500);
      const first = await api(big, t, 'POST', '/crm/v4/associations/companies/contacts/batch/read', { inputs: [{ id }] });
      expect(first.body.results[0].to).toHaveLength(500);
      const after = first.body.results[0].paging.next.after;
      const second = await api(big, t, 'POST', '/crm/v4/associations/companies/contacts/batch/read', { inputs: [{ id, after }] });
      expect(second.body.results[0].paging).toBeUndefined();
      const all = [...first.body.results[0].to, ...second.body.results[0].to].map((r: any) => String(r.toObjectId));
      expect(all).toEqual([...associations.contacts].sort((a, b) => Number(a) - Number(b)));
      const sdk = new Client({ accessToken: t, basePath: big.urls.hubspot, numberOfApiCallRetries: 0 }).crm.associations.v4.batchApi;
      const viaSdk = await sdk.getPage('companies', 'contacts', { inputs: [{ id, after }] });
      expect(viaSdk.results[0]!.to.map((r) => String(r.toObjectId))).toEqual(all.slice(500));
    } finally {
      await big.close();
    }
  });
});

describe('batch read with archived=true', () => {
  it('returns only archived records and reports live ids as not found (also through the SDK)', async () => {
    const [gone, live] = await exportRecords(sb, 'deals');
    expect((await api(sb, token, 'DELETE', `/crm/v3/objects/deals/${gone!.id}`)).status).toBe(204);
    const res = await api(sb, token, 'POST', '/crm/v3/objects/deals/batch/read?archived=true', { inputs: [{ id: gone!.id }, { id: live!.id }] });
    expect(res.status).toBe(207);
    expect(res.body.results).toEqual([expect.objectContaining({ id: gone!.id, archived: true, archivedAt: expect.any(String) })]);
    expect(res.body.errors[0]).toMatchObject({ category: 'OBJECT_NOT_FOUND', context: { ids: [live!.id] } });
    const normal = await api(sb, token, 'POST', '/crm/v3/objects/deals/batch/read', { inputs: [{ id: gone!.id }, { id: live!.id }] });
    expect(normal.body.results.map((r: any) => r.id)).toEqual([live!.id]);
    const sdk = await client(token).crm.deals.batchApi.read({ inputs: [{ id: gone!.id }], properties: [], propertiesWithHistory: [] }, true);
    expect(sdk.results.map((r) => [r.id, r.archived])).toEqual([[gone!.id, true]]);
  });
});

describe('error bodies and token metadata', () => {
  it('gives token endpoint errors a category', async () => {
    const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: APP.clientId, client_secret: APP.clientSecret, refresh_token: 'nope' });
    const res = await fetch(`${sb.urls.hubspot}/oauth/v1/token`, { method: 'POST', body: form });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      status: 'BAD_REFRESH_TOKEN',
      message: 'missing or unknown refresh token',
      correlationId: expect.any(String),
      requestId: expect.any(String),
      category: 'VALIDATION_ERROR',
      error: 'invalid_grant',
      error_description: 'missing or unknown refresh token',
    });
  });

  it('gives 429s category RATE_LIMITS', async () => {
    await admin(sb, 'POST', '/faults', { kind: 429 });
    const res = await api(sb, token, 'GET', '/crm/v3/objects/contacts');
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING', category: 'RATE_LIMITS', correlationId: expect.any(String) });
  });

  it('names the missing id in a 404’s context', async () => {
    const res = await api(sb, token, 'GET', '/crm/v3/objects/contacts/999999999');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ status: 'error', message: expect.any(String), correlationId: expect.any(String), category: 'OBJECT_NOT_FOUND', context: { id: ['999999999'] } });
  });

  it('returns every documented field of the access-token metadata, signed_access_token included', async () => {
    const minted = await mintToken(sb);
    const res = await fetch(`${sb.urls.hubspot}/oauth/v1/access-tokens/${minted.access_token}`);
    const body = await res.json();
    expect(body).toMatchObject({ token: minted.access_token, hub_id: minted.hub_id, app_id: APP.appId, token_type: 'access', expires_in: expect.any(Number), user_id: expect.any(Number), scopes: expect.any(Array) });
    expect(Object.keys(body.signed_access_token).sort()).toEqual(
      ['appId', 'appInstallId', 'audience', 'expiresAt', 'hubId', 'hublet', 'installingUserId', 'isPrivateDistribution', 'isServiceAccount', 'isUserLevel', 'newSignature', 'scopeToScopeGroupPks', 'scopes', 'signature', 'trialScopeToScopeGroupPks', 'trialScopes', 'userId'].sort(),
    );
    expect(body.signed_access_token).toMatchObject({ appId: APP.appId, hubId: minted.hub_id, userId: body.user_id, expiresAt: expect.any(Number), scopes: body.scopes.join(' '), trialScopes: '' });
    const sdk = await new Client({ basePath: sb.urls.hubspot }).oauth.accessTokensApi.get(minted.access_token);
    expect(sdk).toMatchObject({ hubId: minted.hub_id, appId: APP.appId });
  });
});

describe('search realism switches', () => {
  const search = (body: unknown, type = 'contacts') => api(sb, token, 'POST', `/crm/v3/objects/${type}/search`, body);
  const byId = (id: string) => ({ filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'EQ', value: id }] }], properties: ['firstname'] });

  it('is off by default and switched through GET/PUT /_sandbox/settings', async () => {
    expect((await admin(sb, 'GET', '/settings')).body).toEqual({ searchLagMs: 0, shuffleTies: false });
    expect((await admin(sb, 'PUT', '/settings', { searchLagMs: 'x' })).status).toBe(400);
    expect((await admin(sb, 'PUT', '/settings', { shuffleTies: true })).body).toEqual({ searchLagMs: 0, shuffleTies: true });
    expect((await admin(sb, 'PUT', '/settings', { shuffleTies: false })).body).toEqual({ searchLagMs: 0, shuffleTies: false });
  });

  it('takes the startSandbox search option', async () => {
    const other = await startSandbox({ port: 0, records: 10, search: { lagMs: 2000, shuffleTies: true } });
    try {
      expect((await admin(other, 'GET', '/settings')).body).toEqual({ searchLagMs: 2000, shuffleTies: true });
    } finally {
      await other.close();
    }
  });

  it('hides a record created within the lag and shows the old version of one updated or archived within it', async () => {
    await admin(sb, 'PUT', '/settings', { searchLagMs: 5000 });
    try {
      const created = await api(sb, token, 'POST', '/crm/v3/objects/contacts', { properties: { email: 'lag.new@example.com', firstname: 'Fresh' } });
      expect(created.status).toBe(201);
      const [existing, archived] = await exportRecords(sb, 'contacts');
      expect((await api(sb, token, 'PATCH', `/crm/v3/objects/contacts/${existing!.id}`, { properties: { firstname: 'Renamed' } })).status).toBe(200);
      expect((await api(sb, token, 'DELETE', `/crm/v3/objects/contacts/${archived!.id}`)).status).toBe(204);
      expect((await search(byId(archived!.id))).body.results).toEqual([expect.objectContaining({ id: archived!.id, archived: false })]);

      expect((await search(byId(created.body.id))).body).toMatchObject({ total: 0, results: [] });
      const old = await search(byId(existing!.id));
      expect(old.body.results[0].properties.firstname).toBe(existing!.properties.firstname);
      expect(old.body.results[0].updatedAt).toBe(existing!.updatedAt);
      const renamed = { filterGroups: [{ filters: [{ propertyName: 'firstname', operator: 'EQ', value: 'Renamed' }] }] };
      expect((await search(renamed)).body.total).toBe(0);
      // Reads other than search see the writes at once.
      expect((await api(sb, token, 'GET', `/crm/v3/objects/contacts/${created.body.id}`)).status).toBe(200);

      await admin(sb, 'POST', '/clock', { advanceMs: 5000 });
      expect((await search(byId(created.body.id))).body.total).toBe(1);
      expect((await search(byId(existing!.id))).body.results[0].properties.firstname).toBe('Renamed');
      expect((await search(renamed)).body.results.map((r: any) => r.id)).toEqual([existing!.id]);
      expect((await search(byId(archived!.id))).body.total).toBe(0);
    } finally {
      await admin(sb, 'PUT', '/settings', { searchLagMs: 0 });
    }
  });

  it('shuffles equal sort values per query, the same on every page', async () => {
    const byPipeline = { sorts: [{ propertyName: 'pipeline', direction: 'ASCENDING' }], properties: ['pipeline'] };
    const pageThrough = async (body: Record<string, unknown>, limit: number) => {
      const ids: string[] = [];
      let after: string | undefined;
      do {
        const res = await search({ ...body, limit, ...(after ? { after } : {}) }, 'deals');
        ids.push(...res.body.results.map((r: any) => r.id));
        after = res.body.paging?.next?.after;
      } while (after);
      return ids;
    };
    const unshuffled = await pageThrough(byPipeline, 200);
    expect(unshuffled).toEqual([...unshuffled].sort((a, b) => Number(a) - Number(b)));
    await admin(sb, 'PUT', '/settings', { shuffleTies: true });
    try {
      const whole = await pageThrough(byPipeline, 200);
      const paged = await pageThrough(byPipeline, 7);
      expect(paged).toEqual(whole);
      expect(new Set(paged).size).toBe(unshuffled.length);
      expect(whole).not.toEqual(unshuffled);
      expect([...whole].sort()).toEqual([...unshuffled].sort());
      const otherQuery = await pageThrough({ ...byPipeline, filterGroups: [{ filters: [{ propertyName: 'pipeline', operator: 'EQ', value: 'default' }] }] }, 200);
      expect(otherQuery).not.toEqual(whole);
    } finally {
      await admin(sb, 'PUT', '/settings', { shuffleTies: false });
    }
  });
});
