/**
 * The data page's API: records searched, sorted and counted, with the CRM's labels for coded values
 * (deal stages, pipelines, industries) read from its metadata at the full sync and kept with them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Integration } from '../../src/db/integrations-repository.js';
import { connectHubspot } from '../helpers/connect.js';
import { engine } from '../helpers/database.js';
import { startProduct, type RunningProduct } from '../helpers/running-product.js';
import { admin } from '../helpers/sandbox.js';
import { syncAndWait } from '../helpers/sync.js';
import { TEST_JWT_SECRET, tokenFor } from '../helpers/users.js';

describe(`synced data for people on ${engine}`, () => {
  let product: RunningProduct;
  let integration: Integration;
  const get = async (path: string) => {
    const response = await fetch(`${product.baseUrl}${path}`, { headers: { authorization: `Bearer ${await tokenFor('browser')}` } });
    expect(response.status, await response.clone().text()).toBe(200);
    return response.json() as Promise<any>;
  };

  beforeAll(async () => {
    product = await startProduct({ env: { PULSE_AUTH_JWT_SECRET: TEST_JWT_SECRET }, sandbox: { records: { contacts: 120, companies: 40, deals: 60 } } });
    integration = await connectHubspot(product.ctx, 'browser');
    await admin(product.sandbox, 'DELETE', '/_sandbox/requests');
    expect(await syncAndWait(product.ctx, integration.userId, integration.id)).toMatchObject({ syncType: 'full', status: 'success' });
  });
  afterAll(() => product?.close());

  it('labels deal stages, pipelines and industries as the CRM does, and sorts stages in pipeline order', async () => {
    const deals = await get(`/api/deals/browse?sort=stage&pageSize=100`);
    expect(deals.total).toBe(60);
    const stageOrder = ['Appointment Scheduled', 'Qualified To Buy', 'Presentation Scheduled', 'Decision Maker Bought-In', 'Contract Sent', 'Closed Won', 'Closed Lost'];
    const stages = deals.items.map((deal: any) => deal.labels.stage);
    expect(stages.every((label: string) => stageOrder.includes(label))).toBe(true);
    expect(stages.map((label: string) => stageOrder.indexOf(label))).toEqual([...stages.map((label: string) => stageOrder.indexOf(label))].sort((a, b) => a - b));
    expect(deals.items[0].labels.pipeline).toBe('Sales Pipeline');
    expect(deals.items[0].stage).toMatch(/^[a-z]+$/); // the stored value stays the CRM's code

    const companies = await get('/api/companies/browse?pageSize=100');
    const industries = companies.items.filter((company: any) => company.industry).map((company: any) => [company.industry, company.labels.industry]);
    expect(industries.length).toBeGreaterThan(0);
    for (const [value, label] of industries) {
      expect(value).toMatch(/^[A-Z_]+$/);
      expect(label).toMatch(/^[A-Z][a-z]+( [a-zA-Z&]+)*$/);
    }
  });

  it('reads the labels once per full sync, not at incremental runs', async () => {
    const first = (await admin(product.sandbox, 'GET', '/_sandbox/requests')).byKind as Record<string, number>;
    expect(first.metadata).toBe(5); // the deal pipelines and the industry property; each object's field metadata (#16)
    await admin(product.sandbox, 'DELETE', '/_sandbox/requests');
    expect(await syncAndWait(product.ctx, integration.userId, integration.id)).toMatchObject({ syncType: 'incremental', status: 'success' });
    expect(((await admin(product.sandbox, 'GET', '/_sandbox/requests')).byKind as Record<string, number>).metadata ?? 0).toBe(0);
  });

  it('searches, sorts and counts: a total, numbered pages, names A–Z', async () => {
    const all = await get('/api/contacts/browse?sort=name&pageSize=25');
    expect(all.total).toBe(120);
    const names = all.items.map((contact: any) => `${contact.lastName ?? ''} ${contact.firstName ?? ''}`.toLowerCase());
    expect(names).toEqual([...names].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
    const page2 = await get('/api/contacts/browse?sort=name&pageSize=25&page=2');
    expect(page2.items[0].id).not.toBe(all.items[0].id);

    const someone = all.items[3];
    const found = await get(`/api/contacts/browse?q=${encodeURIComponent(someone.email)}`);
    expect(found.total).toBe(1);
    expect(found.items[0].id).toBe(someone.id);
    const byFullName = await get(`/api/contacts/browse?q=${encodeURIComponent(`${someone.firstName} ${someone.lastName}`)}`);
    expect(byFullName.items.map((contact: any) => contact.id)).toContain(someone.id);

    const deals = await get('/api/deals/browse?sort=amount&order=desc&pageSize=5');
    const amounts = deals.items.map((deal: any) => Number(deal.amount));
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    expect(await get(`/api/record-counts?integrationId=${integration.id}`)).toEqual({ contacts: 120, companies: 40, deals: 60 });
  });
});
