/**
 * Selective sync (#16) on every available CRM, through its emulator: a filter saved through the API
 * lists its object again and the data API then holds exactly the matching records; a record edited
 * in the CRM so that it stops matching is removed by the next sync, one that starts matching
 * arrives; an invalid filter is refused with a message. The field filtered on is the CRM's job-title
 * property, taken from the module's field table, so nothing here names a CRM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleFor } from '../../src/crm/modules.js';
import type { Integration } from '../../src/db/integrations-repository.js';
import { engine } from '../helpers/database.js';
import { syncAndWait, waitForRun } from '../helpers/sync.js';
import { asUser, TEST_JWT_SECRET, tokenFor } from '../helpers/users.js';
import { recordFiltersRepository } from '../../src/db/record-filters-repository.js';
import { matchesFilter } from '../../src/crm/record-filter.js';
import { availablePlatforms, connectThroughConsent, exportRecords, letSearchCatchUp, type Emulator } from '../conformance/harness.js';
import { startConformanceProduct, type ConformanceProduct } from '../conformance/product.js';

const MATCH = 'Filter Match Lead';

describe.each(availablePlatforms)(`%s selective sync on ${engine}`, (platform) => {
  let product: ConformanceProduct;
  let emulator: Emulator;
  let integration: Integration;
  let contactIds: string[];
  const title = moduleFor(platform).fields.contacts.jobTitle.property;
  const filter = { match: 'all', conditions: [{ field: title, operator: 'equals', value: MATCH }] };

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${product.baseUrl}${path}`, {
      method, headers: { authorization: `Bearer ${await tokenFor('filters')}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: await response.json() as any };
  };
  const liveContacts = async () => {
    const { body } = await api('GET', `/api/contacts?integrationId=${integration.id}&includeDeleted=false&limit=500`);
    return (body.items as { remoteId: string }[]).map((item) => item.remoteId).sort();
  };
  const setTitle = (id: string, value: string) => emulator.admin('PATCH', `/_sandbox/records/contacts/${id}`, { properties: { [title]: value } });

  beforeAll(async () => {
    product = await startConformanceProduct(platform, {
      env: { PULSE_AUTH_JWT_SECRET: TEST_JWT_SECRET, PULSE_WEBHOOK_SETTLE_MS: '60000' }, records: { contacts: 24, companies: 4, deals: 4 },
    });
    emulator = product.emulator;
    integration = await connectThroughConsent(product.ctx, platform, 'filters', { server: true });
    const first = await syncAndWait(product.ctx, integration.userId, integration.id);
    expect(first, first.errorMessage ?? '').toMatchObject({ syncType: 'full', status: 'success' });
    contactIds = (await exportRecords(emulator.url, 'contacts')).map((record) => record.id).sort();
  });
  afterAll(() => product?.close());

  it('refuses an invalid filter with a 400 that says what is wrong', async () => {
    const empty = await api('PUT', `/api/integrations/${integration.id}/filters`, { contacts: { match: 'all', conditions: [{ field: title, operator: 'in', value: [] }] } });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('at least one value') });
    const date = await api('PUT', `/api/integrations/${integration.id}/filters`, { contacts: { match: 'all', conditions: [{ field: title, operator: 'after', value: 'last tuesday' }] } });
    expect(date.status).toBe(400);
    expect(date.body.error.message).toContain('ISO 8601');
    // Against the CRM's own fields (its metadata): one it does not have, and an order on a text field.
    const unknown = await api('PUT', `/api/integrations/${integration.id}/filters`, { contacts: { match: 'all', conditions: [{ field: 'no_such_field_x', operator: 'known' }] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'validation_failed', details: { path: 'body.contacts.conditions.0.field' }, message: expect.stringContaining('has no field "no_such_field_x"') });
    const order = await api('POST', `/api/integrations/${integration.id}/filters/preview`, { contacts: { match: 'all', conditions: [{ field: title, operator: 'after', value: '2025-01-01' }] } });
    expect(order.status).toBe(400);
    expect(order.body.error).toMatchObject({ details: { path: 'body.contacts.conditions.0.operator' }, message: expect.stringContaining('applies to date or datetime fields') });
    expect((await api('GET', `/api/integrations/${integration.id}/filters`)).body.objects.contacts.filter).toBeNull();
  });

  it('a saved filter lists the object again: the data API holds exactly the matching records', async () => {
    const matching = contactIds.slice(0, 5);
    for (const id of matching) await setTitle(id, MATCH);
    await letSearchCatchUp(emulator);

    const preview = await api('POST', `/api/integrations/${integration.id}/filters/preview`, { contacts: filter });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const pushed = moduleFor(platform).filters.pushDown('contacts', filter as never).pushed;
    expect(preview.body.objects.contacts).toMatchObject({ appliedAt: pushed ? 'crm' : 'pulse' });
    // A CRM that cannot count cheaply says null rather than guess.
    expect([contactIds.length, null]).toContain(preview.body.objects.contacts.crm.total);
    if (pushed) expect(preview.body.objects.contacts.crm.matching).toBe(5);
    // Pulse's copy still has the titles from before the edits: none match locally yet.
    expect(preview.body.objects.contacts.local).toMatchObject({ records: contactIds.length, matching: 0 });

    const saved = await api('PUT', `/api/integrations/${integration.id}/filters`, { contacts: filter });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ filters: { contacts: filter, companies: null, deals: null }, fullSync: { objects: ['contacts'], logId: expect.any(String) } });
    const run = await waitForRun(product.ctx, saved.body.fullSync.logId);
    expect(run, run.errorMessage ?? '').toMatchObject({ syncType: 'full', status: 'success' });
    // The progress bar's total counts what the listing will bring: the CRM's count with the filter where it applies it.
    if (pushed) expect(run.recordsExpected).toBe(5 + 4 + 4);
    expect(await liveContacts()).toEqual(matching);
    // Removed, not flagged: the others are deleted records to a consumer polling for changes.
    const { body } = await api('GET', `/api/contacts?integrationId=${integration.id}&limit=500`);
    expect(body.items.filter((item: any) => item.deletedAt !== null).length).toBe(contactIds.length - 5);
    // A substring, case aside: counted by the CRMs whose query has it (SOQL LIKE), else null; locally, the five.
    const substring = { match: 'all', conditions: [{ field: title, operator: 'contains', value: 'match LEAD' }] };
    const contains = await api('POST', `/api/integrations/${integration.id}/filters/preview`, { contacts: substring });
    expect(contains.body.objects.contacts.local).toMatchObject({ records: 5, matching: 5 });
    expect(contains.body.objects.contacts.crm.matching).toBe(moduleFor(platform).filters.pushDown('contacts', substring as never).pushed ? 5 : null);
    // A page loading the saved filters spends no CRM request; `counts=true` asks the CRM for the cost.
    const requestsBefore = ((await emulator.admin('GET', '/_sandbox/requests')) as { total: number }).total;
    const loaded = await api('GET', `/api/integrations/${integration.id}/filters`);
    expect(loaded.body.objects.contacts).toMatchObject({ filter, appliedAt: pushed ? 'crm' : 'pulse', crm: { total: null, matching: null } });
    expect(((await emulator.admin('GET', '/_sandbox/requests')) as { total: number }).total).toBe(requestsBefore);
    const report = await api('GET', `/api/integrations/${integration.id}/filters?counts=true`);
    expect(report.body.objects.contacts).toMatchObject({ filter, appliedAt: pushed ? 'crm' : 'pulse' });
    if (pushed) expect(report.body.objects.contacts.listingRequests.filtered).toBeLessThanOrEqual(report.body.objects.contacts.listingRequests.unfiltered);
  });

  it('a record that stops matching is removed by the next sync, one that starts matching arrives', async () => {
    const [leaving] = contactIds.slice(0, 1);
    const arriving = contactIds.at(-1)!;
    await setTitle(leaving!, 'Someone Else');
    await setTitle(arriving, MATCH);
    await letSearchCatchUp(emulator);
    const log = await syncAndWait(product.ctx, integration.userId, integration.id);
    expect(log, log.errorMessage ?? '').toMatchObject({ syncType: 'incremental', status: 'success' });
    expect(await liveContacts()).toEqual([...contactIds.slice(1, 5), arriving].sort());
  });

  it('a filter changed without its listing (saved while a run was going) is listed by the next run: removing it brings every record back', async () => {
    // As if the run that the save asked for had been one already going, which listed contacts another way.
    await asUser(product.ctx, integration.userId, (tx) => recordFiltersRepository(tx).put(integration.id, { contacts: null }));
    const log = await syncAndWait(product.ctx, integration.userId, integration.id);
    expect(log, log.errorMessage ?? '').toMatchObject({ status: 'success' });
    expect(await liveContacts()).toEqual(contactIds);
    expect((await api('GET', `/api/integrations/${integration.id}/filters`)).body.objects.contacts).toMatchObject({ filter: null, appliedAt: 'none' });
  });

  it('a filter on the owner (an id the CRM\'s listing may take) leaves exactly the records the CRM holds for that owner', async () => {
    const module = moduleFor(platform);
    const field = module.fields.contacts.ownerId.property;
    const read = module.filters.readValue ?? ((properties: Record<string, unknown>, name: string) => properties[name]);
    const exported = await exportRecords(emulator.url, 'contacts');
    const owner = exported.map((record) => read(record.properties, field)).find((value) => value !== null && value !== undefined && value !== '') as string | number;
    const byOwner = { match: 'all' as const, conditions: [{ field, operator: 'equals' as const, value: owner }] };
    const expected = exported.filter((record) => matchesFilter(byOwner, record.properties, module.filters.readValue)).map((record) => record.id).sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(exported.length);
    const saved = await api('PUT', `/api/integrations/${integration.id}/filters`, { contacts: byOwner });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const run = await waitForRun(product.ctx, saved.body.fullSync.logId);
    expect(run, run.errorMessage ?? '').toMatchObject({ status: 'success' });
    expect(await liveContacts()).toEqual(expected);
  });
});
