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

/** Registers the integration's webhooks (replacing a previous registration); why not, when it does not. */
export async function subscribeWebhooks(ctx: AppContext, integration: Integration): Promise<{ subscribed: boolean; reason?: string }> {
  const hooks = moduleFor(integration.platform).subscriptions;
  if (!hooks) return { subscribed: false, reason: 'this CRM takes no registered webhooks' };
  if (!integration.grantedScopes.includes(hooks.scope)) return { subscribed: false, reason: `the grant lacks ${hooks.scope}` };
  // A real CRM cannot deliver to this machine's loopback address; only the sandbox runs beside us.
  if (ctx.endpoints(integration.platform).mode !== 'sandbox' && isLoopback(new URL(ctx.config.publicUrl).hostname)) {
    return { subscribed: false, reason: 'PUBLIC_URL is a loopback address the CRM cannot reach' };
  }
  // The old registration goes first: CRMs cap webhooks per user, and its secret is about to be replaced.
  await unsubscribeWebhooks(ctx, integration);
  const id = randomUUID();
  const secret = randomBytes(24).toString('base64url');
  const deps = connectorDeps(ctx, ctx.services, integrationTarget(ctx, integration));
  const remoteIds = await hooks.subscribe(deps, { url: webhookUrl(ctx, integration, id), user: WEBHOOK_USER, password: secret });
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
