/**
 * The Salesforce emulator's Outbound Messages: set up by the admin call that stands for Setup, sent as
 * SOAP on API and admin writes (100 notifications a message at most), retried until the receiver
 * answers the Ack, held back while a write is inside the commit lag.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { salesforceOutboundMessages } from '../../src/crm/salesforce/outbound-messages.js';
import { orgIdOf } from '../../src/sandbox/salesforce/app.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { waitFor } from '../helpers/process.js';

let sb: Sandbox<'salesforce'>;
let receiver: Server;
let endpointUrl: string;
let answers: ('ack' | 'fault' | 'no-ack')[] = [];
const received: { contentType: string | undefined; body: string }[] = [];
const ACK = '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>';

const admin = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${sb.urls.salesforce}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
};
/** Every change the received messages name, through Pulse's own receiver. */
const changes = () => received.flatMap((r) => {
  const parsed = salesforceOutboundMessages.parse(r.body);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.events;
});

beforeAll(async () => {
  sb = await startSandbox({ providers: ['salesforce'], port: 0, records: { contacts: 200, companies: 5, deals: 5 }, rateLimits: false, webhooks: { flushDelayMs: 20, retryDelayMs: () => 20 } });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const answer = answers.shift() ?? 'ack';
      if (answer === 'fault') return void res.writeHead(500, { 'content-type': 'text/xml' }).end('<soapenv:Fault/>');
      if (answer === 'no-ack') return void res.writeHead(200, { 'content-type': 'text/xml' }).end('<ok/>');
      received.push({ contentType: req.headers['content-type'], body });
      res.writeHead(200, { 'content-type': 'text/xml' }).end(ACK);
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const address = receiver.address();
  endpointUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/crm/webhooks/salesforce/x/secret`;
});
afterAll(async () => {
  await sb.close();
  await new Promise((r) => receiver.close(r));
});
beforeEach(async () => {
  received.length = 0;
  answers = [];
  await admin('DELETE', '/_sandbox/outbound-messages');
});

describe('Salesforce outbound messages', () => {
  it('sends nothing until set up, then a SOAP message per batch of changes with the org id', async () => {
    await admin('POST', '/_sandbox/records/contacts', {});
    await sb.salesforce.dispatcher.idle();
    expect(received).toEqual([]);

    const setUp = await admin('PUT', '/_sandbox/outbound-messages', { endpointUrl, objects: ['Contact', 'Opportunity'] });
    expect(setUp).toMatchObject({ status: 200, body: { endpointUrl, objects: ['Contact', 'Opportunity'], actionId: expect.stringMatching(/^04k/) } });
    const created = await admin('POST', '/_sandbox/records/contacts', {});
    const company = await admin('POST', '/_sandbox/records/companies', {});
    await sb.salesforce.dispatcher.idle();
    expect(company.status).toBe(201);
    expect(received).toHaveLength(1);
    expect(received[0]!.contentType).toBe('text/xml; charset=utf-8');
    expect(changes()).toEqual([expect.objectContaining({ accountId: orgIdOf(sb.salesforce.store.defaultAccountId), object: 'contacts', remoteId: created.body.id, kind: 'change' })]);
  });

  it('batches at most 100 notifications a message, each with an id of its own', async () => {
    await admin('PUT', '/_sandbox/outbound-messages', { endpointUrl });
    const ids: string[] = [];
    for (const record of (await (await fetch(`${sb.urls.salesforce}/_sandbox/records/contacts`)).text()).split('\n').filter(Boolean).slice(0, 150)) ids.push(JSON.parse(record).id);
    await Promise.all(ids.map((id) => admin('PATCH', `/_sandbox/records/contacts/${id}`, {})));
    await sb.salesforce.dispatcher.idle();
    const sizes = received.map((r) => (r.body.match(/<Notification>/g) ?? []).length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(150);
    expect(new Set(changes().map((c) => c.remoteId))).toEqual(new Set(ids));
    expect(new Set(changes().map((c) => c.key)).size).toBe(150);
  });

  it('retries a message answered with a fault or without the Ack', async () => {
    await admin('PUT', '/_sandbox/outbound-messages', { endpointUrl });
    answers = ['fault', 'no-ack'];
    await admin('POST', '/_sandbox/records/contacts', {});
    await sb.salesforce.dispatcher.idle();
    expect(received).toHaveLength(1);
    const attempts = sb.salesforce.dispatcher.log.filter((d) => d.url === endpointUrl).slice(-3);
    expect(attempts.map((d) => [d.attempt, d.status])).toEqual([[0, 500], [1, 200], [2, 200]]);
    expect(attempts[1]!.error).toContain('without an acknowledgement');
  });

  it('sends a write once it is committed (after the commit lag), and nothing for a delete', async () => {
    await admin('PUT', '/_sandbox/outbound-messages', { endpointUrl });
    await admin('PUT', '/_sandbox/settings', { searchLagMs: 60_000 });
    try {
      const created = await admin('POST', '/_sandbox/records/contacts', {});
      await new Promise((r) => setTimeout(r, 200));
      await sb.salesforce.dispatcher.idle();
      expect(received).toHaveLength(0);
      await admin('POST', '/_sandbox/clock', { advanceMs: 61_000 });
      await waitFor(async () => (received.length > 0 ? true : undefined), 'the held message', 5_000);
      expect(changes().map((c) => c.remoteId)).toEqual([created.body.id]);
      await admin('DELETE', `/_sandbox/records/contacts/${created.body.id}`);
      await admin('POST', '/_sandbox/clock', { advanceMs: 61_000 });
      await new Promise((r) => setTimeout(r, 200));
      await sb.salesforce.dispatcher.idle();
      expect(received).toHaveLength(1);
    } finally {
      await admin('PUT', '/_sandbox/settings', { searchLagMs: 0 });
    }
  });

  it('refuses a set-up without a URL or with an object it has not', async () => {
    expect((await admin('PUT', '/_sandbox/outbound-messages', { objects: ['Contact'] })).status).toBe(400);
    expect((await admin('PUT', '/_sandbox/outbound-messages', { endpointUrl, objects: ['Lead'] })).status).toBe(400);
    expect((await admin('GET', '/_sandbox/outbound-messages')).body).toEqual({ messages: [] });
  });
});
