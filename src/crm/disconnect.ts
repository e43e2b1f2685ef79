import { integrationsRepository } from '../db/integrations-repository.js';
import { withUser } from '../db/tenant.js';
import type { AppContext } from '../app-context.js';
import { integrationConnector } from './connectors.js';
import { unsubscribeWebhooks } from './webhook-subscriptions.js';
import { unsubscribeNotifications } from './notifications.js';

/**
 * Disconnect: remove the webhooks the connection registered, revoke the grant at the provider, then delete the integration; its synced records,
 * logs and cursors go with it (ON DELETE CASCADE). A provider that cannot be reached does not keep
 * the user's data here: we log the failed revoke and delete anyway.
 */
export async function disconnectIntegration(ctx: AppContext, userId: string, integrationId: string): Promise<boolean> {
  const found = await withUser(ctx.db.pool, userId, async (tx) => {
    const repo = integrationsRepository(tx, ctx.keys);
    const integration = await repo.find(integrationId);
    return integration ? { integration, credentials: await repo.readCredentials(integrationId) } : null;
  });
  if (!found) return false;
  const { integration, credentials } = found;
  // Webhooks and change notifications first, while the grant still works (never fatal).
  await unsubscribeWebhooks(ctx, integration).catch((error) => {
    ctx.logger.warn({ err: error, integrationId }, 'could not remove the webhooks at the provider; deleting the integration anyway');
  });
  await unsubscribeNotifications(ctx, integration);
  try {
    const connector = integrationConnector(ctx, integration);
    await connector.revoke(credentials?.refreshToken ?? null, credentials?.accessToken ?? null);
  } catch (error) {
    ctx.logger.warn({ err: error, integrationId }, 'could not revoke the token at the provider; deleting the integration anyway');
  }
  const removed = await withUser(ctx.db.pool, userId, (tx) => integrationsRepository(tx, ctx.keys).remove(integrationId));
  if (removed) await ctx.events?.publish(userId, { type: 'integration.deleted', integrationId });
  return removed;
}
