/** CRM search semantics: the 10,000-result cap, filters, sorts, validation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { api, exportRecords, mintToken } from './helpers.js';

let sb: Sandbox;
let token: string;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, records: { contacts: 10_250, companies: 20, deals: 300 }, rateLimits: false });
  token = (await mintToken(sb)).access_token;
});
afterAll(() => sb.close());
const search = (type: string, body: unknown) => api(sb, token, 'POST', `/crm/v3/objects/${type}/search`, body);

describe('the 10,000-result cap', () => {
  it('reports the true total but refuses to page past 10,000', async () => {
    const page = await search('contacts', { limit: 200, after: '9800' });
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(10_250);
    expect(page.body.results).toHaveLength(200);
    expect(page.body.paging.next.after).toBe('10000');
    const past = await search('contacts', { limit: 200, after: '10000' });
    expect(past.status).toBe(400);
    expect(past.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', correlationId: expect.any(String) });
  });

  it('rejects limit above 200', async () => {
    expect((await search('contacts', { limit: 201 })).status).toBe(400);
  });
});

describe('filters and sorts', () => {
  it('walks a modified-since range in modification order, descending too', async () => {
    const all = await exportRecords(sb, 'deals');
    const since = Date.parse(all[100]!.updatedAt);
    const want = all.filter((r) => Date.parse(r.updatedAt) >= since).sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || Number(a.id) - Number(b.id));
    const filter = { filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: new Date(since).toISOString() }] }] };
    const asc = await search('deals', { ...filter, sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }], limit: 200 });
    expect(asc.body.total).toBe(want.length);
    expect(asc.body.results.map((r: any) => r.id)).toEqual(want.slice(0, 200).map((r) => r.id));
    const desc = await search('deals', { ...filter, sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'DESCENDING' }], limit: 5 });
    expect(desc.body.results.map((r: any) => r.id)).toEqual(want.slice(-5).reverse().map((r) => r.id));
  });

  it('combines a property filter with keyset paging on hs_object_id', async () => {
    const all = await exportRecords(sb, 'deals');
    const won = all.filter((r) => r.properties.dealstage === 'closedwon');
    const res = await search('deals', {
      filterGroups: [{ filters: [{ propertyName: 'dealstage', operator: 'EQ', value: 'closedwon' }, { propertyName: 'hs_object_id', operator: 'GT', value: won[2]!.id }] }],
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
      properties: ['dealstage'],
      limit: 3,
    });
    expect(res.body.total).toBe(won.length - 3);
    expect(res.body.results.map((r: any) => r.id)).toEqual(won.slice(3, 6).map((r) => r.id));
    expect(res.body.results[0].properties).toMatchObject({ dealstage: 'closedwon', hs_object_id: won[3]!.id });
  });

  it('rejects unknown properties and the wrong modified-date property for contacts', async () => {
    const res = await search('contacts', { filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: '0' }] }] });
    expect(res.status).toBe(400);
    expect(res.body.category).toBe('VALIDATION_ERROR');
  });
});
