import { createHmac } from 'node:crypto';
import { parseDelivery, sameSecret } from '../webhook-input.js';
import { z } from 'zod';
import type { WebhookEvent, WebhookReceiver } from '../connector-module.js';
import type { ObjectType } from '../platforms.js';
import { hubspotObjects } from './spec.js';

/**
 * HubSpot webhook deliveries: a JSON array of events signed with the app's client secret (v3:
 * base64 HMAC-SHA256 over method + URI + body + timestamp; stale after 5 minutes).
 * https://developers.hubspot.com/docs/api/webhooks/validating-requests
 */
export const MAX_TIMESTAMP_AGE_MS = 5 * 60_000;

export function verifyV3Signature(input: { secret: string; method: string; uri: string; body: string; timestamp: string | undefined; signature: string | undefined; now?: number }): boolean {
  const { secret, method, uri, body, timestamp, signature } = input;
  if (!timestamp || !signature || !/^\d{1,15}$/.test(timestamp)) return false;
  // Bounded both ways: a timestamp from the future would keep a captured delivery replayable for as long.
  if (Math.abs((input.now ?? Date.now()) - Number(timestamp)) > MAX_TIMESTAMP_AGE_MS) return false;
  let decoded: string;
  try {
    decoded = decodeURI(uri);
  } catch {
    return false;
  }
  const expected = createHmac('sha256', secret).update(`${method}${decoded}${body}${timestamp}`).digest();
  const given = Buffer.from(signature, 'base64');
  return sameSecret(given, expected);
}

/**
 * One event of a delivery, checked for the fields we read (HubSpot adds more; they are kept as sent).
 * https://developers.hubspot.com/docs/api/webhooks#webhook-payloads
 */
const id = z.number().int().nonnegative();
const text = z.string().max(500).refine((value) => !value.includes('\u0000'), 'cannot contain NUL characters');
export const hubspotWebhookEvent = z.looseObject({
  eventId: id,
  subscriptionId: id,
  portalId: id,
  occurredAt: id,
  subscriptionType: text,
  attemptNumber: id.optional(),
  objectId: id.optional(),
  fromObjectId: id.optional(),
  toObjectId: id.optional(),
  associationType: text.optional(),
});
export const hubspotWebhookDelivery = z.array(hubspotWebhookEvent).min(1).max(1000);
export type HubspotWebhookEvent = z.infer<typeof hubspotWebhookEvent>;

/**
 * The event's identity across HubSpot's retries (which only raise `attemptNumber`). HubSpot does not
 * promise `eventId` alone is unique, so the subscription and the time it happened go with it.
 */
export function eventKey(event: HubspotWebhookEvent): string {
  return `${event.subscriptionId}:${event.eventId}:${event.occurredAt}`;
}

const bySingular: Record<string, ObjectType> = { contact: 'contacts', company: 'companies', deal: 'deals' };

/**
 * The record whose stored associations an association-change event affects: associations live on
 * one side only (src/crm/hubspot/spec.ts), so the event names that side's record.
 */
export function associationTarget(event: HubspotWebhookEvent): { object: ObjectType; remoteId: string } | null {
  if (!event.subscriptionType.endsWith('.associationChange') || !event.associationType) return null;
  const [fromName, toName] = event.associationType.toLowerCase().split('_to_');
  const from = bySingular[fromName ?? ''];
  const to = bySingular[toName ?? ''];
  if (!from || !to || event.fromObjectId === undefined || event.toObjectId === undefined) return null;
  if (hubspotObjects[from].associations.includes(to)) return { object: from, remoteId: String(event.fromObjectId) };
  if (hubspotObjects[to].associations.includes(from)) return { object: to, remoteId: String(event.toObjectId) };
  return null;
}

/**
 * A record's own event (`contact.creation`, `deal.propertyChange`, `company.deletion`, ...): what it
 * asks of the engine, on which record. Merges and other events we do not act on give null.
 */
const recordEventKinds: Record<string, WebhookEvent['kind']> = {
  creation: 'change', propertyChange: 'change', restore: 'change', deletion: 'deletion', privacyDeletion: 'deletion',
};
export function recordTarget(event: HubspotWebhookEvent): { kind: WebhookEvent['kind']; object: ObjectType; remoteId: string } | null {
  const [singular, what] = event.subscriptionType.split('.');
  const object = bySingular[singular ?? ''];
  const kind = recordEventKinds[what ?? ''];
  if (!object || !kind || event.objectId === undefined) return null;
  return { kind, object, remoteId: String(event.objectId) };
}

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export const hubspotWebhooks: WebhookReceiver = {
  verify: (delivery) => verifyV3Signature({
    secret: delivery.secret,
    method: delivery.method,
    uri: delivery.url,
    body: delivery.body,
    timestamp: header(delivery.headers['x-hubspot-request-timestamp']),
    signature: header(delivery.headers['x-hubspot-signature-v3']),
  }),

  parse(body) {
    const parsed = parseDelivery(body, hubspotWebhookDelivery);
    if (!parsed.ok) return parsed;
    const events = parsed.data.flatMap((event): WebhookEvent[] => {
      const base = { accountId: String(event.portalId), key: eventKey(event), payload: event };
      const association = associationTarget(event);
      if (association) return [{ ...base, kind: 'association_change', ...association }];
      const record = recordTarget(event);
      return record ? [{ ...base, ...record }] : [];
    });
    return { ok: true, events };
  },
};
