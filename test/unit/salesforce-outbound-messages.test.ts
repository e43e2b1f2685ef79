import { describe, expect, it } from 'vitest';
import { salesforceModule } from '../../src/crm/salesforce/module.js';
import { ACK, salesforceOutboundMessages } from '../../src/crm/salesforce/outbound-messages.js';
import { outboundMessage } from '../helpers/salesforce-soap.js';

const org = '00D000000000001AAA';
const receiver = salesforceOutboundMessages;

describe('Salesforce outbound messages', () => {
  const delivery = (pathSecret?: string, subscriptionSecret: string | null = 'the-secret') =>
    ({ secret: 'client-secret', subscriptionSecret: subscriptionSecret ?? undefined, pathSecret, method: 'POST', url: 'http://x/crm/webhooks/salesforce/s-1/the-secret', body: '', headers: {} });

  it('is the module\'s receiver and the SOAP acknowledgement Salesforce waits for', () => {
    expect(salesforceModule.webhooks).toBe(receiver);
    expect(receiver.contentTypes).toEqual(['text/xml']);
    expect(receiver.acknowledgement?.body).toContain('<Ack>true</Ack>');
    expect(ACK).toContain('notificationsResponse');
  });

  it('accepts only deliveries to the address holding the subscription\'s secret', () => {
    expect(receiver.verify(delivery('the-secret'))).toBe(true);
    expect(receiver.verify(delivery('not-the-secret'))).toBe(false);
    expect(receiver.verify(delivery(undefined))).toBe(false);
    // A URL naming no subscription of ours: nothing to check against.
    expect(receiver.verify(delivery('the-secret', null))).toBe(false);
  });

  it('turns each notification of a contact, account or opportunity into a change keyed by the notification id', () => {
    const body = outboundMessage(org, [
      { id: '04l000000000001AAA', type: 'Contact', recordId: '003000000000007AAA' },
      { id: '04l000000000002AAA', type: 'Account', recordId: '001000000000002AAA' },
      { id: '04l000000000003AAA', type: 'Opportunity', recordId: '006000000000003AAA' },
      { id: '04l000000000004AAA', type: 'Lead', recordId: '00Q000000000003AAA' },
    ]);
    const parsed = receiver.parse(body);
    expect(parsed).toEqual({
      ok: true,
      events: [
        { accountId: org, kind: 'change', object: 'contacts', remoteId: '003000000000007AAA', key: '04l000000000001AAA', payload: { actionId: '04k000000000001AAA', notificationId: '04l000000000001AAA', sobject: 'sf:Contact' } },
        { accountId: org, kind: 'change', object: 'companies', remoteId: '001000000000002AAA', key: '04l000000000002AAA', payload: expect.any(Object) },
        { accountId: org, kind: 'change', object: 'deals', remoteId: '006000000000003AAA', key: '04l000000000003AAA', payload: expect.any(Object) },
      ],
    });
    // The flow user's live session is never kept.
    expect(JSON.stringify(parsed)).not.toContain('secret-session');
  });

  it('reads a message with one notification or none', () => {
    expect(receiver.parse(outboundMessage(org, [{ id: '04l000000000001AAA', type: 'Contact', recordId: '003000000000007AAA' }]))).toMatchObject({ ok: true, events: [{ remoteId: '003000000000007AAA' }] });
    expect(receiver.parse(outboundMessage(org, []))).toEqual({ ok: true, events: [] });
  });

  it('refuses what Salesforce does not send, naming where', () => {
    expect(receiver.parse('{"not":"xml"}')).toMatchObject({ ok: false, problem: expect.stringContaining('XML') });
    expect(receiver.parse('<notifications><OrganizationId>')).toMatchObject({ ok: false, problem: expect.stringContaining('XML') });
    expect(receiver.parse(outboundMessage('not-an-org', []))).toMatchObject({ ok: false, problem: expect.stringContaining('OrganizationId') });
    expect(receiver.parse(outboundMessage(org, [{ id: '04l000000000001AAA', type: 'Contact', recordId: 'x' }]))).toMatchObject({ ok: false, problem: expect.stringContaining('notifications.Notification.sObject.Id') });
    const many = Array.from({ length: 101 }, (_, i) => ({ id: `04l${String(i).padStart(12, '0')}AAA`, type: 'Contact', recordId: '003000000000007AAA' }));
    expect(receiver.parse(outboundMessage(org, many))).toMatchObject({ ok: false, problem: expect.stringContaining('Notification') });
    // No document types, so no entity declarations to expand.
    const doctype = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>${outboundMessage(org, []).replace('<?xml version="1.0" encoding="UTF-8"?>', '')}`;
    expect(receiver.parse(doctype)).toMatchObject({ ok: false, problem: expect.stringContaining('document type') });
  });
});
