/** Associations: inline on v3 reads, v4 batch read, default create and delete, modified dates untouched. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { api, exportRecords, mintToken } from './helpers.js';

let sb: Sandbox;
let token: string;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, seed: 11, records: 500, rateLimits: false });
  token = (await mintToken(sb)).access_token;
});
afterAll(() => sb.close());

describe('associations', () => {
  it('reads deal links inline and through v4 batch read', async () => {
    const deals = await exportRecords(sb, 'deals');
    const deal = deals.find((d) => d.associations.companies!.length && d.associations.contacts!.length)!;
    const one = await api(sb, token, 'GET', `/crm/v3/objects/deals/${deal.id}?associations=companies,contacts`);
    expect(one.body.associations.companies.results).toEqual([
      { id: deal.associations.companies![0], type: 'deal_to_company' },
      { id: deal.associations.companies![0], type: 'deal_to_company_unlabeled' },
    ]);
    expect(one.body.associations.contacts.results).toEqual([{ id: deal.associations.contacts![0], type: 'deal_to_contact' }]);
    const batch = await api(sb, token, 'POST', '/crm/v4/associations/deals/companies/batch/read', { inputs: [{ id: deal.id }] });
    expect(batch.status).toBe(200);
    expect(batch.body.results[0]).toEqual({
      from: { id: deal.id },
      to: [{ toObjectId: Number(deal.associations.companies![0]), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' }, { category: 'HUBSPOT_DEFINED', typeId: 341, label: null }] }],
    });
  });

  it('creates and deletes default associations without moving modified dates', async () => {
    const [contact] = await exportRecords(sb, 'contacts');
    const deals = await exportRecords(sb, 'deals');
    const deal = deals.find((d) => !d.associations.contacts!.includes(contact!.id))!;
    const put = await api(sb, token, 'PUT', `/crm/v4/objects/deals/${deal.id}/associations/default/contacts/${contact!.id}`);
    expect(put.status).toBe(200);
    const after = await api(sb, token, 'GET', `/crm/v3/objects/contacts/${contact!.id}?associations=deals`);
    expect(after.body.associations.deals.results.map((r: any) => r.id)).toContain(deal.id);
    expect(after.body.updatedAt).toBe(contact!.updatedAt);
    const del = await api(sb, token, 'DELETE', `/crm/v4/objects/deals/${deal.id}/associations/contacts/${contact!.id}`);
    expect(del.status).toBe(204);
    const gone = await api(sb, token, 'GET', `/crm/v3/objects/deals/${deal.id}?associations=contacts`);
    expect((gone.body.associations?.contacts?.results ?? []).map((r: any) => r.id)).not.toContain(contact!.id);
    expect(gone.body.updatedAt).toBe(deal.updatedAt);
  });

  it('lists archived records only with archived=true', async () => {
    const [company] = await exportRecords(sb, 'companies');
    expect((await api(sb, token, 'DELETE', `/crm/v3/objects/companies/${company!.id}`)).status).toBe(204);
    const archived = await api(sb, token, 'GET', '/crm/v3/objects/companies?archived=true');
    expect(archived.body.results).toEqual([expect.objectContaining({ id: company!.id, archived: true, archivedAt: expect.any(String) })]);
    expect((await api(sb, token, 'GET', `/crm/v3/objects/companies/${company!.id}`)).status).toBe(404);
  });
});
