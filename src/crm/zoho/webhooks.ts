import { createHmac } from 'node:crypto';
import { parseDelivery, sameSecret } from '../webhook-input.js';
import { z } from 'zod';
import type { WebhookEvent, WebhookReceiver } from '../connector-module.js';
import type { ObjectType } from '../platforms.js';
import { zohoModules } from './spec.js';

/**
 * Zoho notifications (`/actions/watch`): a channel we subscribe carries a `token` (≤ 50 characters)
 * that every callback repeats; Zoho signs nothing, so the token is what we check. It is the org id
 * and an HMAC of it under the app's client secret: nothing of its own to store, and a callback names
 * the org its events are about. An insert or edit is a change to read (the engine reads the named
 * records by id at once, lookups with them: they come inside the record); a delete is a deletion.
 * Zoho's callbacks name no restore. Every change also shows in the next sync's Modified_Time window
 * and `/deleted` listing: a lost callback loses nothing.
 * https://www.zoho.com/crm/developer/docs/api/v8/notifications/overview.html
 */
const TOKEN_MAC_LENGTH = 28;
export const channelToken = (clientSecret: string, orgId: string) =>
  `${orgId}.${createHmac('sha256', clientSecret).update(`zoho-notifications:${orgId}`).digest('base64url').slice(0, TOKEN_MAC_LENGTH)}`;

/** Our channel's id for an org: Zoho wants a number of our choosing; one per org and app. */
export const channelId = (orgId: string) => String(BigInt(`0x${createHmac('sha256', 'pulse-channel').update(orgId).digest('hex').slice(0, 13)}`));

const notification = z.looseObject({
  channel_id: z.union([z.string(), z.number()]).transform(String),
  module: z.string().max(100),
  operation: z.enum(['insert', 'update', 'delete']).or(z.string().max(40)),
  ids: z.array(z.union([z.string().regex(/^\d{1,20}$/), z.number().int().nonnegative()]).transform(String)).max(1000),
  token: z.string().max(50),
  server_time: z.union([z.number(), z.string()]).optional(),
});

const objectOf = (module: string): ObjectType | undefined =>
  (Object.entries(zohoModules) as [ObjectType, { module: string }][]).find(([, spec]) => spec.module === module)?.[0];

/** What each callback `operation` asks of the engine; others Zoho may add are left out. */
const operationKinds = new Map<string, WebhookEvent['kind']>([['insert', 'change'], ['update', 'change'], ['delete', 'deletion']]);

function tokenOf(body: string): string | null {
  try {
    const token = (JSON.parse(body) as { token?: unknown }).token;
    return typeof token === 'string' ? token : null;
  } catch {
    return null;
  }
}

export const zohoWebhooks: WebhookReceiver = {
  verify({ secret, body }) {
    const given = tokenOf(body);
    const orgId = given?.split('.')[0];
    if (!given || !orgId || !/^\d{1,20}$/.test(orgId) || !secret) return false;
    return sameSecret(given, channelToken(secret, orgId));
  },

  parse(body) {
    const parsed = parseDelivery(body, notification);
    if (!parsed.ok) return parsed;
    const { module, operation, ids, token, channel_id: channel, server_time: at } = parsed.data;
    const object = objectOf(module);
    const kind = operationKinds.get(operation);
    if (!object || !kind) return { ok: true, events: [] };
    const accountId = token.split('.')[0]!;
    // A redelivery repeats the body (server_time included), so the key is the same each time.
    const events: WebhookEvent[] = ids.map((remoteId) => ({
      accountId, kind, object, remoteId, key: `${channel}:${operation}:${remoteId}:${at ?? ''}`, payload: { module, operation, channel_id: channel },
    }));
    return { ok: true, events };
  },
};
