import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConnection } from '../../src/crm/connection-test.js';
import { disconnectIntegration } from '../../src/crm/disconnect.js';
import { manualWebhookStep } from '../../src/crm/webhook-subscriptions.js';
import type { Integration } from '../../src/db/integrations-repository.js';
import { asSystem } from '../../src/db/tenant.js';
import { connectorFor, connectThroughConsent, exportRecords, letSearchCatchUp, notificationsDelivered, setUpManualWebhooks } from '../conformance/harness.js';
import { startConformanceProduct, type ConformanceProduct } from '../conformance/product.js';
import { engine } from '../helpers/database.js';
import { TEST_JWT_SECRET, tokenFor } from '../helpers/users.js';
import { outboundMessage } from '../helpers/salesforce-soap.js';
import { waitFor } from '../helpers/process.js';

/**
 * Salesforce Outbound Messages end to end: the address Pulse generates per connection (its secret the
 * last segment), set up in the emulator as an admin would in Setup, real SOAP deliveries answered
 * with the Ack, and every forged, replayed or malformed delivery refused in our error shape.
 */
describe(`Salesforce outbound messages, on ${engine}`, () => {
  let product: ConformanceProduct;
  let integration: Integration;
  let address: string;
  let org: string;

  beforeAll(async () => {
    product = await startConformanceProduct('salesforce', { records: { contacts: 6, companies: 2, deals: 3 }, env: { PULSE_AUTH_JWT_SECRET: TEST_JWT_SECRET } });
    integration = await connectThroughConsent(product.ctx, 'salesforce', 'sf-outbound');
    org = integration.externalAccountId!;
    const step = await manualWebhookStep(product.ctx, integration);
    address = step!.url!;
  });
  afterAll(() => product?.close());

  const post = (url: string, body: string, contentType = 'text/xml; charset=utf-8') =>
    fetch(url, { method: 'POST', headers: { 'content-type': contentType, soapaction: '""' }, body });
  const eventsOf = async (id: string) => (await asSystem(product.ctx.db.pool, (tx) => tx.query(
    'SELECT kind, object, remote_id, event_key FROM crm_webhook_events WHERE integration_id = $1 ORDER BY id', [id]))).rows;
  const subscriptionRow = async () => (await asSystem(product.ctx.db.pool, (tx) => tx.query(
    'SELECT id, secret, remote_ids FROM crm_webhook_subscriptions WHERE integration_id = $1', [integration.id]))).rows[0];

  it('gives the owner a set-up step: the objects, what to do in Setup, and an address ending in a secret stored sealed', async () => {
    const step = await manualWebhookStep(product.ctx, integration);
    expect(step).toMatchObject({ name: 'Outbound Message', objects: ['Contact', 'Account', 'Opportunity'] });
    expect(step!.steps.join(' ')).toContain('Record-Triggered Flow');
    const row = await subscriptionRow();
    const secret = address.split('/').at(-1)!;
    expect(address).toBe(`${product.baseUrl}/crm/webhooks/salesforce/${row.id}/${secret}`);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(row.secret).toMatch(/^enc:/);
    expect(row.secret).not.toContain(secret);
    // No call at Salesforce, so nothing to remove there later.
    expect(row.remote_ids).toEqual([]);
    const verdict = await testConnection(product.ctx, integration);
    expect(verdict.checks.find((check) => check.id === 'webhooks')).toMatchObject({ status: 'pass', message: expect.stringContaining('Outbound Message') });
  });

  it('GET /api/integrations/:id/realtime-setup: the owner\'s only, never cached, 404 for a CRM Pulse subscribes itself', async () => {
    const get = async (sub: string | null, id = integration.id) => fetch(`${product.baseUrl}/api/integrations/${id}/realtime-setup`, {
      headers: sub ? { authorization: `Bearer ${await tokenFor(sub)}` } : {},
    });
    expect((await get(null)).status).toBe(401);
    const own = await get('sf-outbound');
    expect(own.status).toBe(200);
    expect(own.headers.get('cache-control')).toBe('no-store');
    expect(await own.json()).toEqual({ name: 'Outbound Message', objects: ['Contact', 'Account', 'Opportunity'], steps: expect.any(Array), url: address, reason: null });
    // Another user's integration is not found, as every integration route answers.
    const other = await get('sf-outbound-someone-else');
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await get('sf-outbound', 'not-a-uuid')).status).toBe(400);
    const platforms = await (await fetch(`${product.baseUrl}/api/platforms`, { headers: { authorization: `Bearer ${await tokenFor('sf-outbound')}` } })).json();
    expect(Object.fromEntries(platforms.platforms.map((p: { id: string; realtimeSetup: string }) => [p.id, p.realtimeSetup]))).toMatchObject({ salesforce: 'manual', pipedrive: 'automatic' });
  });

  it('keeps the address across a reconnect: the one pasted in Setup goes on working', async () => {
    const again = await connectThroughConsent(product.ctx, 'salesforce', 'sf-outbound');
    expect(again.id).toBe(integration.id);
    expect((await manualWebhookStep(product.ctx, again))!.url).toBe(address);
  });

  it('records the changes the emulator sends once set up, answering each message with the Ack', async () => {
    await setUpManualWebhooks(product.ctx, product.emulator, integration);
    const [contact] = await exportRecords(product.emulator.url, 'contacts');
    const [company] = await exportRecords(product.emulator.url, 'companies');
    await product.emulator.admin('PATCH', `/_sandbox/records/contacts/${contact!.id}`, {});
    await product.emulator.admin('PATCH', `/_sandbox/records/companies/${company!.id}`, {});
    // Salesforce sends a message once the write is committed: the emulator's commit lag passes first.
    await letSearchCatchUp(product.emulator);
    await waitFor(async () => ((await eventsOf(integration.id)).length >= 2 ? true : undefined), 'the outbound messages', 10_000);
    await notificationsDelivered(product.emulator);
    const events = await eventsOf(integration.id);
    expect(events).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'change', object: 'contacts', remote_id: contact!.id }),
      expect.objectContaining({ kind: 'change', object: 'companies', remote_id: company!.id }),
    ]));
    const { deliveries } = await product.emulator.admin('GET', '/_sandbox/webhooks/deliveries');
    const ours = deliveries.filter((d: { url: string }) => d.url === address);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((d: { status: number; error?: string }) => d.status === 200 && !d.error)).toBe(true);
  });

  it('answers a delivery with the SOAP Ack, and stores a replayed notification once', async () => {
    const body = outboundMessage(org, [{ id: '04l000000000901AAA', type: 'Contact', recordId: '003000000000901AAA' }]);
    for (let i = 0; i < 2; i++) {
      const response = await post(address, body);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
      expect(await response.text()).toContain('<Ack>true</Ack>');
    }
    expect((await eventsOf(integration.id)).filter((e) => e.event_key === '04l000000000901AAA')).toHaveLength(1);
  });

  it('refuses a wrong secret, an unknown subscription, a missing secret and a forged org id', async () => {
    const body = outboundMessage(org, [{ id: '04l000000000902AAA', type: 'Contact', recordId: '003000000000902AAA' }]);
    const base = address.slice(0, address.lastIndexOf('/'));
    const secret = address.split('/').at(-1)!;
    const refused = async (url: string, payload: string, status: number) => {
      const response = await post(url, payload);
      expect(response.status).toBe(status);
      expect(await response.json()).toMatchObject({ error: { code: status === 401 ? 'unauthorized' : 'not_found', message: expect.any(String) } });
    };
    await refused(`${base}/not-the-secret`, body, 401);
    await refused(`${product.baseUrl}/crm/webhooks/salesforce/00000000-0000-4000-8000-000000000000/${secret}`, body, 401);
    await refused(base, body, 404);
    await refused(`${product.baseUrl}/crm/webhooks/salesforce`, body, 404);
    // The right address speaking for another org.
    await refused(address, outboundMessage('00D000000000999AAA', [{ id: '04l000000000903AAA', type: 'Contact', recordId: '003000000000903AAA' }]), 401);
    const keys = (await eventsOf(integration.id)).map((e) => e.event_key);
    expect(keys).not.toContain('04l000000000902AAA');
    expect(keys).not.toContain('04l000000000903AAA');
  });

  it('answers malformed XML with 400 in the documented error shape', async () => {
    for (const body of ['<notifications><Notification>', outboundMessage(org, [{ id: '04l000000000904AAA', type: 'Contact', recordId: 'not-an-id' }])]) {
      const response = await post(address, body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'validation_failed', message: expect.stringContaining('not what this CRM sends') } });
    }
    // A media type the CRM does not send: refused, never a 500.
    const form = await post(address, 'x=1', 'application/x-www-form-urlencoded');
    expect(form.status).toBeGreaterThanOrEqual(400);
    expect(form.status).toBeLessThan(500);
  });

  it('stops taking deliveries at the address once the integration is disconnected', async () => {
    const other = await connectThroughConsent(product.ctx, 'salesforce', 'sf-outbound-disconnect');
    const url = (await manualWebhookStep(product.ctx, other))!.url!;
    expect(url).not.toBe(address);
    const body = outboundMessage(org, [{ id: '04l000000000905AAA', type: 'Contact', recordId: '003000000000905AAA' }]);
    expect((await post(url, body)).status).toBe(200);
    expect(await disconnectIntegration(product.ctx, other.userId, other.id)).toBe(true);
    expect((await post(url, body)).status).toBe(401);
  });

  it('reads records by id as a listing maps them, associations included, and names the ids gone', async () => {
    const connector = await connectorFor(product.ctx, integration);
    const deals = await exportRecords(product.emulator.url, 'deals');
    await product.emulator.admin('DELETE', `/_sandbox/records/deals/${deals[2]!.id}`);
    await letSearchCatchUp(product.emulator);
    const read = await connector.readRecords!('deals', [deals[0]!.id, deals[1]!.id, deals[2]!.id, '006000009999999AAA']);
    expect(read.missing.sort()).toEqual([deals[2]!.id, '006000009999999AAA'].sort());
    expect(read.records.map((r) => r.remoteId).sort()).toEqual([deals[0]!.id, deals[1]!.id].sort());
    const listed = await connector.listRecords('deals', { mode: 'full' });
    for (const record of read.records) expect(record).toEqual(listed.records.find((r) => r.remoteId === record.remoteId));
  });
});
