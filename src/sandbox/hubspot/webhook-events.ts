/**
 * Turns record changes into HubSpot webhook events for every app installed in the account (it holds a
 * live refresh token there) with a matching active subscription, and hands them to the dispatcher
 * signed with the app's client secret (v3 signature, plus the legacy v1 one).
 * https://developers.hubspot.com/docs/api/webhooks/validating-requests
 */
import { createHash, createHmac } from 'node:crypto';
import type { WebhookTarget } from '../core/webhooks.js';
import type { HubspotContext, RecordChange } from './context.js';
import { OBJECTS } from './objects.js';

export function signV3(secret: string, method: string, url: string, body: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${method}${url}${body}${timestamp}`).digest('base64');
}

function installedApps(ctx: HubspotContext, accountId: number): Set<string> {
  const ids = new Set<string>();
  for (const r of ctx.store.tokens.refresh.values()) if (!r.revoked && r.accountId === accountId) ids.add(r.clientId);
  return ids;
}

export function createEmitter(ctx: () => HubspotContext): (accountId: number, change: RecordChange) => void {
  let eventId = 1;
  return (accountId, change) => {
    const c = ctx();
    const singular = OBJECTS[change.type].singular;
    const eventType = `${singular}.${change.kind}`;
    for (const clientId of installedApps(c, accountId)) {
      const app = c.store.apps.get(clientId);
      const settings = app && c.webhooks.settings(app.appId);
      if (!app || !settings) continue;
      const target: WebhookTarget = {
        key: `${app.appId}:${accountId}`,
        url: settings.targetUrl,
        headers: (method, url, body, timestamp) => ({
          'X-HubSpot-Signature-v3': signV3(app.clientSecret, method, url, body, timestamp),
          'X-HubSpot-Request-Timestamp': String(timestamp),
          'X-HubSpot-Signature': createHash('sha256').update(app.clientSecret + body).digest('hex'),
          'X-HubSpot-Signature-Version': 'v1',
        }),
        withAttempt: (e, attempt) => ({ ...(e as object), attemptNumber: attempt }),
      };
      for (const sub of c.webhooks.subscriptions(app.appId)) {
        if (!sub.active || sub.eventType !== eventType) continue;
        const base = { eventId: eventId++, subscriptionId: Number(sub.id), portalId: accountId, appId: app.appId, occurredAt: c.store.clock.now(), subscriptionType: eventType, attemptNumber: 0 };
        if (change.kind === 'propertyChange') {
          for (const [name, value] of Object.entries(change.properties)) {
            if (sub.propertyName && sub.propertyName !== name) continue;
            c.dispatcher.enqueue(target, { ...base, eventId: eventId++, objectId: change.id, propertyName: name, propertyValue: value, changeSource: change.source });
          }
        } else if (change.kind === 'associationChange') {
          const kind = `${singular}_to_${OBJECTS[change.toType].singular}`.toUpperCase();
          c.dispatcher.enqueue(target, { ...base, changeSource: change.source, associationType: kind, fromObjectId: change.id, toObjectId: change.toId, associationRemoved: change.removed, isPrimaryAssociation: false });
        } else {
          const changeFlag = { creation: 'NEW', deletion: 'DELETED', restore: 'RESTORED' }[change.kind];
          c.dispatcher.enqueue(target, { ...base, objectId: change.id, changeFlag, changeSource: change.source });
        }
      }
    }
  };
}
