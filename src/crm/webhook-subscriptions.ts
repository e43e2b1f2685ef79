import { randomBytes, randomUUID } from 'node:crypto';
import type { AppContext } from '../app-context.js';
import { isLoopback } from '../config.js';
import type { Integration } from '../db/integrations-repository.js';
import { withUser } from '../db/tenant.js';
import { webhookSubscriptionsRepository } from '../db/webhook-subscriptions-repository.js';
import { WEBHOOK_USER } from './connector-module.js';
import { connectorDeps, integrationTarget } from './connectors.js';
import { moduleFor } from './modules.js';

/**
 * Webhooks a connection registers with its CRM through the CRM's API (modules with `subscriptions`):
 * after connect, delivering to PUBLIC_URL with credentials generated here and stored sealed; removed
 * on disconnect. Neither step is allowed to fail a connect or a disconnect: a connection without
 * webhooks still syncs (deletions then wait for the CRM's slower path, which the connection test says).
 */
export function webhookUrl(ctx: AppContext, integration: Pick<Integration, 'platform'>, subscriptionId: string): string {
  return `${ctx.config.publicUrl}/crm/webhooks/${integration.platform}/${subscriptionId}`;
}

/** The address the CRM is given: for `path` credentials the secret is its last segment (the CRM sends nothing else). */
function deliveryAddress(ctx: AppContext, integration: Pick<Integration, 'platform'>, subscriptionId: string, secret: string): string {
  const url = webhookUrl(ctx, integration, subscriptionId);
  return moduleFor(integration.platform).subscriptions?.credentials === 'path' ? `${url}/${secret}` : url;
}

/** What the owner needs to set a CRM's webhooks up by hand (modules with `subscriptions.manual`), or null. */
export interface ManualWebhookStep {
  name: string;
  objects: string[];
  steps: string[];
  /** The address to paste; it holds the secret, so it goes to the owner only (authenticated API), never to logs. */
  url: string | null;
  /** Why there is no address yet, when there is none. */
  reason?: string;
}

export async function manualWebhookStep(ctx: AppContext, integration: Integration): Promise<ManualWebhookStep | null> {
  const manual = moduleFor(integration.platform).subscriptions?.manual;
  if (!manual) return null;
  const existing = await withUser(ctx.db.pool, integration.userId, (tx) => webhookSubscriptionsRepository(tx, ctx.keys).secretOfIntegration(integration.id));
  if (existing) return { ...manual, url: deliveryAddress(ctx, integration, existing.id, existing.secret) };
  const outcome = await subscribeWebhooks(ctx, integration);
  if (!outcome.subscribed) return { ...manual, url: null, reason: outcome.reason };
  const created = await withUser(ctx.db.pool, integration.userId, (tx) => webhookSubscriptionsRepository(tx, ctx.keys).secretOfIntegration(integration.id));
  return { ...manual, url: created ? deliveryAddress(ctx, integration, created.id, created.secret) : null };
}

/** Registers the integration's webhooks (replacing a previous registration); why not, when it does not. */
export async function subscribeWebhooks(ctx: AppContext, integration: Integration): Promise<{ subscribed: boolean; reason?: string }> {
  const hooks = moduleFor(integration.platform).subscriptions;
  if (!hooks) return { subscribed: false, reason: 'this CRM takes no registered webhooks' };
  if (!integration.grantedScopes.includes(hooks.scope)) return { subscribed: false, reason: `the grant lacks ${hooks.scope}` };
  // A real CRM cannot deliver to this machine's loopback address; only the sandbox runs beside us.
  if (ctx.endpoints(integration.platform).mode !== 'sandbox' && isLoopback(new URL(ctx.config.publicUrl).hostname)) {
    return { subscribed: false, reason: 'PUBLIC_URL is a loopback address the CRM cannot reach' };
  }
  // An address the person pasted into the CRM by hand stays valid across reconnects: replacing it
  // would silently stop deliveries until they paste the new one.
  if (hooks.manual) {
    const kept = await withUser(ctx.db.pool, integration.userId, (tx) => webhookSubscriptionsRepository(tx, ctx.keys).ofIntegration(integration.id));
    if (kept) return { subscribed: true };
  }
  // The old registration goes first: CRMs cap webhooks per user, and its secret is about to be replaced.
  await unsubscribeWebhooks(ctx, integration);
  const id = randomUUID();
  const secret = randomBytes(24).toString('base64url');
  const deps = connectorDeps(ctx, ctx.services, integrationTarget(ctx, integration));
  const remoteIds = await hooks.subscribe(deps, { url: deliveryAddress(ctx, integration, id, secret), user: WEBHOOK_USER, password: secret });
  await withUser(ctx.db.pool, integration.userId, (tx) => webhookSubscriptionsRepository(tx, ctx.keys).save({
    id, integrationId: integration.id, userId: integration.userId, platform: integration.platform, remoteIds, secret,
  }));
  return { subscribed: true };
}

/** Removes the integration's registered webhooks at the CRM, then our record of them. */
export async function unsubscribeWebhooks(ctx: AppContext, integration: Integration): Promise<void> {
  const hooks = moduleFor(integration.platform).subscriptions;
  if (!hooks) return;
  const existing = await withUser(ctx.db.pool, integration.userId, (tx) => webhookSubscriptionsRepository(tx, ctx.keys).ofIntegration(integration.id));
  if (!existing) return;
  await hooks.unsubscribe(connectorDeps(ctx, ctx.services, integrationTarget(ctx, integration)), existing.remoteIds);
  await withUser(ctx.db.pool, integration.userId, (tx) => webhookSubscriptionsRepository(tx, ctx.keys).remove(existing.id));
}
