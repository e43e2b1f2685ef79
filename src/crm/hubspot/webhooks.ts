import { createHmac, timingSafeEqual } from 'node:crypto';
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
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  if ((input.now ?? Date.now()) - Number(timestamp) > MAX_TIMESTAMP_AGE_MS) return false;
  let decoded: string;
  try {
    decoded = decodeURI(uri);
  } catch {
    return false;
  }
  const expected = createHmac('sha256', secret).update(`${method}${decoded}${body}${timestamp}`).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface HubspotWebhookEvent {
  portalId: number;
  subscriptionType: string;
  objectId?: number;
  fromObjectId?: number;
  toObjectId?: number;
  associationType?: string;
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
