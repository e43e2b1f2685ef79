/**
 * Custom field mapping (#16) on every CRM, over real HTTP against the emulators: the CRM's field
 * metadata with labels and custom fields, a mapping saved through the API, a sync, and the data API
 * carrying exactly the mapped values; an incompatible mapping refused with its reason; a changed
 * mapping re-derived from stored properties without a CRM request; a field never fetched scheduling
 * the listing that fetches it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readValue } from '../../src/crm/field-codec.js';
import type { PlatformId } from '../../src/crm/platforms.js';
import { asSystem } from '../../src/db/tenant.js';
import { pulseFieldTypes } from '../../src/sync/custom-fields.js';
import type { Integration } from '../../src/db/integrations-repository.js';
import { adminCall, availablePlatforms, connectThroughConsent } from '../conformance/harness.js';
import { engine } from '../helpers/database.js';
import { startProduct, type RunningProduct } from '../helpers/running-product.js';
import { syncAndWait, waitForRun } from '../helpers/sync.js';
import { TEST_JWT_SECRET, tokenFor } from '../helpers/users.js';

type Field = { name: string; label: string; type: string; custom: boolean; options?: { value: string; label: string }[] };

describe(`custom field mapping on ${engine}`, () => {
  let product: RunningProduct;
  beforeAll(async () => {
    product = await startProduct({ env: { PULSE_AUTH_JWT_SECRET: TEST_JWT_SECRET }, sandbox: { records: { contacts: 12, companies: 6, deals: 8 } } });
  }, 60_000);
  afterAll(() => product?.close());

  const call = async (sub: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${product.baseUrl}${path}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { authorization: `Bearer ${await tokenFor(sub)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    });
    return { status: response.status, body: await response.json() as any };
  };
  const ok = async (sub: string, method: string, path: string, body?: unknown) => {
    const answer = await call(sub, method, path, body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body;
  };
  /** What the CRM's emulator was asked since the last reset. */
  const requests = (platform: PlatformId) => adminCall(product.sandbox.urls[platform]!, 'GET', '/_sandbox/requests') as Promise<{ total: number }>;
  const resetRequests = (platform: PlatformId) => adminCall(product.sandbox.urls[platform]!, 'DELETE', '/_sandbox/requests');

  /** The value a mapping must give, from the raw properties Pulse stored (Pipedrive keeps custom fields under custom_fields). */
  const raw = (properties: Record<string, any>, name: string) => (/^[0-9a-f]{40}$/.test(name) ? properties.custom_fields?.[name] : properties[name]);

  it('reads raw values in SQL (re-deriving) exactly as the sync reads them in JavaScript', async () => {
    const raws: unknown[] = ['42', '-3.50', ' 7 ', '1e3', '12abc', '1e400', '', 'Yes', 'no', '1', 'GOLD', 'constructor', 203, 0, true, null,
      '2024-06-30', '1719705600000', '2024-06-30T23:30:00.000-0200', '2024-06-30T10:00:00', '2024-06-30 10:00:00Z', '2024-01-01T00:00:00.000+0000',
      '2024-06-30T10:00:00.123456Z', '30/06/2024', { id: '4001', name: 'Ada' }, { name: 'no id' }, ['a']];
    const cases = pulseFieldTypes.flatMap((type) => raws.map((raw) => ({ raw, type, options: type === 'enumeration' ? { GOLD: 'Gold', 203: 'Gold' } : null })));
    const { rows } = await asSystem(product.ctx.db.pool, (tx) => tx.query(
      `SELECT pulse_mapped_value(c.raw, c.type, c.options) AS value FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (raw jsonb, type text, options jsonb)) WITH ORDINALITY AS c(raw, type, options, n) ORDER BY n`,
      [JSON.stringify(cases)],
    ));
    expect(rows.map((row) => row.value)).toEqual(cases.map((c) => readValue(c.raw, c.type, c.options)));
  });

  it('mappings saved while a run lists: the run settles them at its end, and the next run fetches the new field', async () => {
    const platform: PlatformId = 'hubspot';
    const sub = 'mapper-during-run';
    const integration: Integration = await connectThroughConsent(product.ctx, platform, sub);
    expect(await syncAndWait(product.ctx, integration.userId, integration.id)).toMatchObject({ status: 'success' });
    // The next run's first contacts page is held while the mapping is saved: that run loaded no mappings.
    await adminCall(product.sandbox.urls.hubspot!, 'POST', '/_sandbox/faults', { kind: 'hang', next: 1, hangMs: 1500, pathPrefix: '/crm/v3/objects/contacts' });
    const { logId } = await product.ctx.sync!.request({ userId: integration.userId, integrationId: integration.id, full: true });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const saved = await ok(sub, 'PUT', `/api/integrations/${integration.id}/mappings`, { object: 'contacts', mappings: [{ pulseField: 'tier', crmField: 'loyalty_tier', pulseType: 'enumeration' }] });
    expect(saved).toMatchObject({ outcome: 'full_sync_scheduled', fetch: { fields: ['loyalty_tier'], logId } });
    expect(await waitForRun(product.ctx, logId)).toMatchObject({ status: 'success' });
    // The run that was going did not ask for the field; the one after it lists contacts again, with it.
    expect(await syncAndWait(product.ctx, integration.userId, integration.id)).toMatchObject({ syncType: 'full', status: 'success' });
    const { items } = await ok(sub, 'GET', `/api/contacts?integrationId=${integration.id}&limit=100`);
    expect(items.filter((item: any) => item.customFields.tier !== null).length).toBeGreaterThan(0);
    for (const item of items) expect(item.customFields.tier ?? null).toBe(item.properties.loyalty_tier ? item.properties.loyalty_tier.charAt(0) + item.properties.loyalty_tier.slice(1).toLowerCase() : null);
  });

  for (const platform of availablePlatforms) {
    it(`${platform}: metadata with labels, a mapped enumeration and number in the data API, refusals, and re-derived changes`, async () => {
      const sub = `mapper-${platform}`;
      const integration: Integration = await connectThroughConsent(product.ctx, platform, sub);
      const base = `/api/integrations/${integration.id}`;

      // Metadata: every object read again; contacts carry a custom picklist with labels and a custom number.
      const refreshed = await ok(sub, 'POST', `${base}/fields/refresh`);
      expect(refreshed.fields.contacts).toBeGreaterThan(5);
      const { fields } = await ok(sub, 'GET', `${base}/fields?object=contacts`) as { fields: Field[] };
      const tier = fields.find((field) => field.custom && field.type === 'enumeration' && field.options?.length)!;
      const score = fields.find((field) => field.custom && field.type === 'number')!;
      expect(tier, 'a custom enumeration').toBeDefined();
      expect(score, 'a custom number').toBeDefined();
      expect(tier.label).not.toBe(tier.name);
      expect(fields.some((field) => !field.custom)).toBe(true);

      // A custom mapping saved before the first sync: nothing stored yet, nothing to fetch.
      const mappings = [
        { pulseField: 'tier', crmField: tier.name, pulseType: 'enumeration' },
        { pulseField: 'score', crmField: score.name, pulseType: 'number' },
      ];
      const saved = await ok(sub, 'PUT', `${base}/mappings`, { object: 'contacts', mappings });
      expect(saved).toMatchObject({ object: 'contacts', outcome: 'rederived', rederived: 0, fetch: { fields: [] } });
      const listed = await ok(sub, 'GET', `${base}/mappings`);
      const contactsMappings = listed.objects.find((entry: any) => entry.object === 'contacts');
      expect(contactsMappings.defaults.length).toBeGreaterThan(3);
      expect(contactsMappings.custom.map((mapping: any) => mapping.pulseField)).toEqual(['tier', 'score']);

      // The sync asks for the mapped fields and writes their values with the record.
      expect(await syncAndWait(product.ctx, integration.userId, integration.id)).toMatchObject({ status: 'success' });
      const labels = new Map(tier.options!.map((option) => [option.value, option.label]));
      const { items } = await ok(sub, 'GET', `/api/contacts?integrationId=${integration.id}&limit=100`);
      expect(items).toHaveLength(12);
      for (const item of items) {
        const rawTier = raw(item.properties, tier.name);
        const rawScore = raw(item.properties, score.name);
        expect(item.customFields).toEqual({
          tier: rawTier === null || rawTier === undefined || rawTier === '' ? null : labels.get(String(rawTier)),
          score: rawScore === null || rawScore === undefined || rawScore === '' ? null : Number(rawScore),
        });
      }
      expect(items.filter((item: any) => item.customFields.tier !== null).length).toBeGreaterThan(0);
      expect(items.filter((item: any) => typeof item.customFields.score === 'number').length).toBe(12);
      const synced = new Map(items.map((item: any) => [item.remoteId, item.customFields]));

      // Refused, naming the pair: a number is not a date; and the other checks, all at once.
      const refused = await call(sub, 'PUT', `${base}/mappings`, { object: 'contacts', mappings: [{ pulseField: 'when', crmField: score.name, pulseType: 'date' }] });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toContain(`(${score.name}) is a number and cannot be mapped to a Pulse date field "when"`);
      const more = await call(sub, 'PUT', `${base}/mappings`, { object: 'contacts', mappings: [
        { pulseField: 'email', crmField: score.name, pulseType: 'number' },
        { pulseField: 'x', crmField: 'no_such_field', pulseType: 'text' },
        { pulseField: 'y', crmField: score.name, pulseType: 'number', direction: 'both' },
      ] });
      expect(more.status).toBe(400);
      expect(more.body.error.message).toMatch(/"email" is already a field of Pulse contacts/);
      expect(more.body.error.message).toMatch(/"no_such_field" is not a field of/);
      expect(more.body.error.message).toMatch(/arrives with two-way sync/);

      // A preview shows the proposed values on local records, from stored data.
      const preview = await ok(sub, 'POST', `${base}/mappings/preview`, { object: 'contacts', mappings: [{ pulseField: 'tierCode', crmField: tier.name, pulseType: 'text' }] });
      expect(preview.total).toBe(12);
      expect(preview.records).toHaveLength(5);
      expect(preview.mappings).toEqual([{ pulseField: 'tierCode', crmField: tier.name, source: 'stored' }]);

      // Changed: re-derived from the stored properties, without asking the CRM.
      await resetRequests(platform);
      const changed = await ok(sub, 'PUT', `${base}/mappings`, { object: 'contacts', mappings: [
        { pulseField: 'tierCode', crmField: tier.name, pulseType: 'text' },
        { pulseField: 'engagement', crmField: score.name, pulseType: 'text' },
      ] });
      expect(changed).toMatchObject({ outcome: 'rederived', rederived: 12, fetch: { fields: [], logId: null } });
      expect((await requests(platform)).total).toBe(0);
      const rederived = (await ok(sub, 'GET', `/api/contacts?integrationId=${integration.id}&limit=100`)).items;
      for (const item of rederived) {
        const rawTier = raw(item.properties, tier.name);
        const rawScore = raw(item.properties, score.name);
        expect(item.customFields).toEqual({
          tierCode: rawTier === null || rawTier === undefined || rawTier === '' ? null : String(rawTier),
          engagement: rawScore === null || rawScore === undefined || rawScore === '' ? null : String(rawScore),
        });
      }
      // Back to the first mappings: the SQL re-derivation gives exactly what the sync wrote.
      await ok(sub, 'PUT', `${base}/mappings`, { object: 'contacts', mappings });
      const again = (await ok(sub, 'GET', `/api/contacts?integrationId=${integration.id}&limit=100`)).items;
      for (const item of again) expect(item.customFields).toEqual(synced.get(item.remoteId));

      // A deal field mapped after the sync: where the listing never asked for it, one is scheduled.
      const dealFields = (await ok(sub, 'GET', `${base}/fields?object=deals`)).fields as Field[];
      const priority = dealFields.find((field) => field.custom && field.type === 'enumeration' && field.options?.length)!;
      const deal = await ok(sub, 'PUT', `${base}/mappings`, { object: 'deals', mappings: [{ pulseField: 'priority', crmField: priority.name, pulseType: 'enumeration' }] });
      // HubSpot and Zoho send only the fields a listing names; Salesforce's listing selects every field, Pipedrive sends them all.
      expect(deal.outcome).toBe(platform === 'hubspot' || platform === 'zoho' ? 'full_sync_scheduled' : 'rederived');
      if (deal.outcome === 'full_sync_scheduled') {
        expect(deal.fetch.fields).toEqual([priority.name]);
        expect(await waitForRun(product.ctx, deal.fetch.logId)).toMatchObject({ status: 'success' });
      } else {
        expect(deal).toMatchObject({ outcome: 'rederived', rederived: 8 });
      }
      const dealLabels = new Set(priority.options!.map((option) => option.label));
      const deals = (await ok(sub, 'GET', `/api/deals?integrationId=${integration.id}&limit=100`)).items;
      expect(deals).toHaveLength(8);
      for (const item of deals) expect(dealLabels.has(item.customFields.priority), JSON.stringify(item.customFields)).toBe(true);
    }, 120_000);
  }
});
