/** Webhooks: subscriptions through the management API (SDK), signed batched deliveries, retries. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Client, Signature } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_DEVELOPER_API_KEY } from '../../src/sandbox/hubspot/app.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { admin, api, APP, mintToken } from './helpers.js';

let sb: Sandbox;
let receiver: Server;
let targetUrl: string;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
let failNext = 0;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, records: 30, rateLimits: false, webhooks: { flushDelayMs: 20, retryDelayMs: () => 20 } });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(500).end();
        return;
      }
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const address = receiver.address();
  targetUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`;
});
afterAll(async () => {
  await sb.close();
  await new Promise((r) => receiver.close(r));
});

describe('webhook subscriptions and deliveries', () => {
  it('manages settings and subscriptions with the developer key', async () => {
    const dev = new Client({ developerApiKey: SANDBOX_DEVELOPER_API_KEY, basePath: sb.urls.hubspot });
    const settings = await dev.webhooks.settingsApi.configure(APP.appId, { targetUrl, throttling: { maxConcurrentRequests: 5 } });
    expect(settings.targetUrl).toBe(targetUrl);
    await dev.webhooks.subscriptionsApi.create(APP.appId, { eventType: 'contact.creation' as never, active: true });
    await dev.webhooks.subscriptionsApi.create(APP.appId, { eventType: 'contact.propertyChange' as never, propertyName: 'lastname', active: true });
    await dev.webhooks.subscriptionsApi.create(APP.appId, { eventType: 'contact.deletion' as never, active: true });
    expect((await dev.webhooks.subscriptionsApi.getAll(APP.appId)).results).toHaveLength(3);
    const wrongKey = await fetch(`${sb.urls.hubspot}/webhooks/v3/${APP.appId}/settings?hapikey=nope`);
    expect(wrongKey.status).toBe(401);
  });

  it('delivers signed, batched events for API and admin changes', async () => {
    const { access_token } = await mintToken(sb);
    const created = await api(sb, access_token, 'POST', '/crm/v3/objects/contacts', { properties: { email: 'hook@example.org', lastname: 'Hook' } });
    expect(created.status).toBe(201);
    await admin(sb, 'PATCH', `/records/contacts/${created.body.id}`, { properties: { lastname: 'Changed' } });
    await api(sb, access_token, 'DELETE', `/crm/v3/objects/contacts/${created.body.id}`);
    await sb.hubspot.dispatcher.idle();

    const events = received.flatMap((r) => JSON.parse(r.body) as any[]);
    expect(events.map((e) => e.subscriptionType)).toEqual(['contact.creation', 'contact.propertyChange', 'contact.propertyChange', 'contact.deletion']);
    expect(events[0]).toMatchObject({ objectId: Number(created.body.id), portalId: sb.hubspot.store.defaultAccountId, appId: APP.appId, attemptNumber: 0 });
    expect(events[2]).toMatchObject({ propertyName: 'lastname', propertyValue: 'Changed' });
    for (const r of received) {
      const valid = Signature.isValid({
        signatureVersion: 'v3',
        signature: String(r.headers['x-hubspot-signature-v3']),
        clientSecret: APP.clientSecret,
        requestBody: r.body,
        url: targetUrl,
        method: 'POST',
        timestamp: Number(r.headers['x-hubspot-request-timestamp']),
      });
      expect(valid).toBe(true);
    }
  });

  it('retries a failed delivery with a higher attempt number', async () => {
    received.length = 0;
    failNext = 1;
    await admin(sb, 'POST', '/records/contacts', { properties: { email: 'retry@example.org' } });
    await sb.hubspot.dispatcher.idle();
    const events = received.flatMap((r) => JSON.parse(r.body) as any[]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ subscriptionType: 'contact.creation', attemptNumber: 1, changeSource: 'CRM_UI' });
  });
});
