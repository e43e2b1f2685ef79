/**
 * When `npm start` runs the HubSpot emulator in-process: subscribe the built-in app to association
 * changes at our webhook URL, because HubSpot does not move modified times for them and webhooks are
 * the only way a sync learns of them.
 */
import type { HubspotContext } from './context.js';

export async function subscribeLocalWebhooks(ctx: HubspotContext, appId: number, publicUrl: string): Promise<void> {
  const now = new Date(ctx.store.clock.now()).toISOString();
  ctx.webhooks.setSettings(appId, `${publicUrl}/crm/webhooks/hubspot`, 10, now);
  for (const s of ctx.webhooks.subscriptions(appId)) ctx.webhooks.remove(appId, s.id);
  for (const object of ['contact', 'company', 'deal']) ctx.webhooks.subscribe(appId, { eventType: `${object}.associationChange`, active: true }, now);
}
