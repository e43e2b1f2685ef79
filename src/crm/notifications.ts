import type { AppContext } from '../app-context.js';
import type { Integration } from '../db/integrations-repository.js';
import { connectorDeps, type ConnectorServices } from './connectors.js';
import { moduleFor } from './modules.js';

/**
 * Subscriptions an integration holds at its CRM for change notifications (modules with
 * `subscribe`/`unsubscribe` hooks): made at connect, renewed at every run, removed at disconnect.
 * Never fatal: polling sees every change anyway, a notification only brings it sooner.
 */
async function withHook(ctx: AppContext, integration: Integration, hook: 'subscribe' | 'unsubscribe', services: ConnectorServices): Promise<boolean> {
  const module = moduleFor(integration.platform);
  const run = module[hook];
  const endpoints = ctx.endpoints(integration.platform);
  if (!run || !module.webhooks || !integration.externalAccountId || endpoints.mode === 'missing') return false;
  const deps = connectorDeps(ctx, services, {
    platform: integration.platform, externalAccountId: integration.externalAccountId, connectionConfig: integration.connectionConfig,
    tokens: ctx.services.tokens.source(integration),
  });
  try {
    await run(deps, { url: `${ctx.config.publicUrl}/crm/webhooks/${integration.platform}`, secret: endpoints.clientSecret, accountId: integration.externalAccountId, grantedScopes: integration.grantedScopes ?? [] });
    return true;
  } catch (error) {
    ctx.logger.warn({ integrationId: integration.id, err: (error as Error).message }, `could not ${hook} change notifications`);
    return false;
  }
}

/** `services` lets a run count the request among its own. */
export const subscribeNotifications = (ctx: AppContext, integration: Integration, services: ConnectorServices = ctx.services) => withHook(ctx, integration, 'subscribe', services);
export const unsubscribeNotifications = (ctx: AppContext, integration: Integration) => withHook(ctx, integration, 'unsubscribe', ctx.services);
