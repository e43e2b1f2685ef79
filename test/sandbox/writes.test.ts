/** Writes as HubSpot validates them, and the modified-date index staying correct across changes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { admin, api, exportRecords, mintToken } from './helpers.js';

let sb: Sandbox;
let token: string;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, seed: 9, records: 400, rateLimits: false });
  token = (await mintToken(sb)).access_token;
});
afterAll(() => sb.close());

describe('record writes', () => {
  it('needs the write scope', async () => {
    const readOnly = await mintToken(sb, { scopes: ['crm.objects.contacts.read'] });
    const res = await api(sb, readOnly.access_token, 'POST', '/crm/v3/objects/contacts', { properties: { email: 'x@example.org' } });
    expect(res.status).toBe(403);
    expect(res.body.errors[0].context.requiredGranularScopes).toEqual(['crm.objects.contacts.write']);
  });

  it('rejects unknown and read-only properties, bad numbers and options', async () => {
    const res = await api(sb, token, 'POST', '/crm/v3/objects/deals', { properties: { dealname: 'X', nope: '1', amount: 'abc', dealstage: 'won', hs_object_id: '5' } });
    expect(res.status).toBe(400);
    expect(res.body.category).toBe('VALIDATION_ERROR');
    for (const code of ['PROPERTY_DOESNT_EXIST', 'INVALID_FLOAT', 'INVALID_OPTION', 'READ_ONLY_VALUE']) expect(res.body.message).toContain(code);
  });

  it('refuses a duplicate contact email with 409 and more than 100 batch inputs with 400', async () => {
    const [first] = await exportRecords(sb, 'contacts');
    const dup = await api(sb, token, 'POST', '/crm/v3/objects/contacts', { properties: { email: first!.properties.email!.toUpperCase() } });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ category: 'CONFLICT', message: `Contact already exists. Existing ID: ${first!.id}` });
    const big = await api(sb, token, 'POST', '/crm/v3/objects/contacts/batch/read', { inputs: Array.from({ length: 101 }, (_, i) => ({ id: String(i) })) });
    expect(big.status).toBe(400);
  });

  it('stores datetimes as ISO and values as strings', async () => {
    const res = await api(sb, token, 'POST', '/crm/v3/objects/deals', { properties: { dealname: 'Big one', amount: 1500, closedate: Date.UTC(2027, 0, 31) } });
    expect(res.status).toBe(201);
    expect(res.body.properties).toMatchObject({ amount: '1500', closedate: '2027-01-31T00:00:00.000Z', dealname: 'Big one', hs_object_id: res.body.id });
  });

  it('keeps modified-since search exact across updates, archives, restores and hard deletes', async () => {
    const search = async () => {
      const out: string[] = [];
      let after: string | undefined;
      do {
        const res = await api(sb, token, 'POST', '/crm/v3/objects/companies/search', {
          filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: '0' }] }],
          sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
          limit: 7,
          after,
        });
        out.push(...res.body.results.map((r: any) => r.id));
        after = res.body.paging?.next?.after;
      } while (after);
      return out;
    };
    const expected = async () => (await exportRecords(sb, 'companies')).sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || Number(a.id) - Number(b.id)).map((r) => r.id);
    expect(await search()).toEqual(await expected());
    const [a, b, c, d] = await exportRecords(sb, 'companies');
    await admin(sb, 'POST', '/clock', { advanceMs: 1000 });
    await api(sb, token, 'PATCH', `/crm/v3/objects/companies/${a!.id}`, { properties: { city: 'Lisbon' } });
    await api(sb, token, 'DELETE', `/crm/v3/objects/companies/${b!.id}`);
    await admin(sb, 'DELETE', `/records/companies/${c!.id}`);
    await admin(sb, 'POST', `/records/companies/${c!.id}/restore`);
    await admin(sb, 'DELETE', `/records/companies/${d!.id}?hard=true`);
    const after = await search();
    expect(after).toEqual(await expected());
    expect(after.slice(-2)).toEqual([a!.id, c!.id]);
    expect(after).not.toContain(b!.id);
    expect(after).not.toContain(d!.id);
  });
});
