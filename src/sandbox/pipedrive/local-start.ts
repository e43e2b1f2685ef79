/**
 * When `npm start` (or the conformance suite) runs the Pipedrive emulator in-process: subscribe the
 * default company to person and organization deletions at our webhook URL, as Pulse would after
 * connecting, because Pipedrive lists no deleted persons or organizations. Deliveries carry HTTP
 * Basic credentials derived from the app's client secret (Pipedrive signs nothing); the Pulse side
 * derives the same (src/crm/pipedrive/webhooks.ts).
 */
import { createHmac } from 'node:crypto';
import type { PipedriveContext } from './context.js';
import { PIPEDRIVE_APP } from './app.js';
import { rfc3339 } from './serialize.js';

export const WEBHOOK_USER = 'pulse';
export const webhookPassword = (clientSecret: string) => createHmac('sha256', clientSecret).update('pipedrive-webhooks').digest('base64url');

export async function subscribeLocalWebhooks(ctx: PipedriveContext, publicUrl: string): Promise<void> {
  const account = ctx.store.account()!;
  const user = account.users[0]!;
  for (const hook of ctx.webhooks.ofUser(account.id, user.id)) ctx.webhooks.hooks.delete(hook.id);
  for (const object of ['person', 'organization']) {
    ctx.webhooks.add({
      company_id: account.id, owner_id: user.id, user_id: user.id, event_action: 'delete', event_object: object, subscription_url: `${publicUrl}/crm/webhooks/pipedrive`,
      version: '2.0', is_active: 1, add_time: rfc3339(ctx.clock.now()), remove_time: null, type: 'general', name: `Pulse ${object} deletions`,
      http_auth_user: WEBHOOK_USER, http_auth_password: webhookPassword(PIPEDRIVE_APP.clientSecret), remove_reason: null, last_delivery_time: null, last_http_status: null, admin_id: user.id,
    });
  }
}
