/**
 * When `npm start` runs the HubSpot emulator in-process: subscribe the built-in app at our webhook URL
 * to what a HubSpot app subscribes to for Pulse: records created, changed and deleted (applied within
 * seconds by webhook runs) and association changes (HubSpot does not move modified times for them, so
 * webhooks are the only way a sync learns of them).
 */
import type { HubspotContext } from './context.js';

const EVENTS = ['creation', 'propertyChange', 'deletion', 'associationChange'];

export async function subscribeLocalWebhooks(ctx: HubspotContext, appId: number, publicUrl: string): Promise<void> {
  const now = new Date(ctx.store.clock.now()).toISOString();
  ctx.webhooks.setSettings(appId, `${publicUrl}/crm/webhooks/hubspot`, 10, now);
  for (const s of ctx.webhooks.subscriptions(appId)) ctx.webhooks.remove(appId, s.id);
  for (const object of ['contact', 'company', 'deal']) {
    for (const event of EVENTS) ctx.webhooks.subscribe(appId, { eventType: `${object}.${event}`, active: true }, now);
  }
}
