import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import type { WebhookEvent, WebhookReceiver } from '../connector-module.js';
import type { ObjectType } from '../platforms.js';
import { sameSecret } from '../webhook-input.js';
import { salesforceObjects } from './spec.js';

/**
 * Salesforce Outbound Messages: what a record-triggered flow (or workflow rule) posts when a record
 * is created or changed — SOAP 1.1, `<notifications>` with the org's id and up to 100
 * `<Notification>`s, each an `<Id>` (the same on every retry) and the `<sObject>` with the fields the
 * admin chose (we need only `Id`: the record is read again, a later read is what counts). Salesforce
 * signs nothing and sends no credential we choose; the address it posts to ends in a secret
 * generated per connection (webhook-subscriptions.ts, credentials `path`), and the route refuses an
 * `OrganizationId` other than the connection's org. Anything but the `<Ack>true</Ack>` answer is
 * retried for up to 24 hours. Outbound messages fire on create and update only: deletions still come
 * from the listing (queryAll's IsDeleted rows). The `SessionId` the message may carry is a live
 * session of the flow's user: it is never kept.
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_understanding.htm
 */
export const MAX_NOTIFICATIONS = 100;

const sfId = z.string().regex(/^[0-9A-Za-z]{15}([0-9A-Za-z]{3})?$/, 'not a Salesforce id');
const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).max(MAX_NOTIFICATIONS, `at most ${MAX_NOTIFICATIONS}`)]).transform((value) => (Array.isArray(value) ? value : [value]));
const notification = z.looseObject({
  Id: sfId,
  sObject: z.looseObject({ $: z.looseObject({ type: z.string().max(100) }), Id: sfId }),
});
const envelope = z.object({
  Envelope: z.looseObject({
    Body: z.looseObject({
      notifications: z.looseObject({
        OrganizationId: sfId,
        ActionId: sfId,
        Notification: oneOrMany(notification).optional(),
      }),
    }),
  }),
});

const objectOf = (sobjectType: string): ObjectType | undefined => {
  const name = sobjectType.split(':').at(-1);
  return (Object.entries(salesforceObjects) as [ObjectType, { sobject: string }][]).find(([, spec]) => spec.sobject === name)?.[0];
};

/**
 * Namespace prefixes dropped (`soapenv:Envelope` → `Envelope`, `xsi:type` → `type`), attributes under
 * `$`, every value kept as the text it is (ids are not numbers), entities not expanded.
 */
const soap = new XMLParser({
  ignoreAttributes: false, attributesGroupName: '$', attributeNamePrefix: '', removeNSPrefix: true,
  parseTagValue: false, parseAttributeValue: false, processEntities: false, ignoreDeclaration: true,
});

/** A SOAP body read into plain values, or what is wrong with it. */
export function readSoap(body: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  // No DTDs: a document type could declare entities, and no outbound message has one.
  if (/<!DOCTYPE/i.test(body)) return { ok: false, problem: 'body: a document type declaration is not accepted' };
  if (XMLValidator.validate(body) !== true) return { ok: false, problem: 'body: not well-formed XML' };
  return { ok: true, value: soap.parse(body) };
}

export const ACK = '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>';

export const salesforceOutboundMessages: WebhookReceiver = {
  // Flows send outbound messages on create and update only.
  pushes: ['change'],
  contentTypes: ['text/xml'],
  acknowledgement: { contentType: 'text/xml; charset=utf-8', body: ACK },

  verify({ subscriptionSecret, pathSecret }) {
    return Boolean(subscriptionSecret && pathSecret) && sameSecret(pathSecret!, subscriptionSecret!);
  },

  parse(body) {
    const xml = readSoap(body);
    if (!xml.ok) return xml;
    const parsed = envelope.safeParse(xml.value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { ok: false, problem: `${issue.path.join('.') || 'body'}: ${issue.message}` };
    }
    const message = parsed.data.Envelope.Body.notifications;
    const events: WebhookEvent[] = [];
    for (const item of message.Notification ?? []) {
      const object = objectOf(item.sObject.$.type);
      if (!object) continue;
      events.push({
        accountId: message.OrganizationId, kind: 'change', object, remoteId: item.sObject.Id, key: item.Id,
        payload: { actionId: message.ActionId, notificationId: item.Id, sobject: item.sObject.$.type },
      });
    }
    return { ok: true, events };
  },
};
