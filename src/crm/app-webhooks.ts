import type { AppContext } from '../app-context.js';
import { createHttpClient } from './http.js';
import { connectorModules } from './modules.js';
import { platformIds, type PlatformId } from './platforms.js';

/**
 * Webhooks that belong to the app (module.appWebhooks): one target and one set of subscriptions for
 * every account that installed it, kept in place with the developer credentials when those are
 * configured. Done at start (a new public URL moves the target) and at every connect (someone may
 * have removed a subscription in the developer account). Never fatal: polling sees every change.
 */
export async function ensureAppWebhooks(ctx: AppContext, platform: PlatformId): Promise<{ changed: string[] } | null> {
  const module = connectorModules[platform];
  const endpoints = ctx.endpoints(platform);
  if (!module?.appWebhooks || !endpoints.developer || endpoints.mode === 'missing') return null;
  const developer = endpoints.developer;
  const http = createHttpClient({
    baseUrl: endpoints.apiBaseUrl,
    auth: {
      token: async () => developer.apiKey,
      refresh: async () => { throw new Error('the developer API key was refused'); },
      header: () => null,
    },
    limiter: ctx.services.limiter,
    rateFor: () => ({ key: `${platform}:developer:${developer.appId}`, rate: null }),
    parseError: module.parseError,
    timeoutMs: ctx.config.PULSE_HTTP_TIMEOUT_MS,
    maxAttempts: 3,
  });
  try {
    const outcome = await module.appWebhooks.ensure(http, developer, `${ctx.config.publicUrl}/crm/webhooks/${platform}`);
    if (outcome.changed.length > 0) ctx.logger.info({ platform, appId: developer.appId, changed: outcome.changed }, 'app webhooks put in place');
    return outcome;
  } catch (error) {
    ctx.logger.warn({ platform, appId: developer.appId, err: (error as Error).message }, 'could not put the app\'s webhooks in place; changes arrive by polling');
    return null;
  }
}

/** At start, for every CRM with developer credentials; in the background, so nothing waits on a CRM. */
export function ensureEveryAppWebhooks(ctx: AppContext): Promise<unknown> {
  return Promise.all(platformIds.map((platform) => ensureAppWebhooks(ctx, platform)));
}
