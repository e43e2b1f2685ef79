import type { ConnectorDeps, ConnectorModule, NotifyTarget } from '../connector-module.js';
import { ProviderError } from '../provider-error.js';
import { zohoConnector } from './connector.js';
import { zohoFilterSupport } from './filters.js';
import { parseZohoError } from './errors.js';
import { creditCost, zohoFields, zohoLimits, zohoModules } from './spec.js';
import { channelId, channelToken, zohoWebhooks } from './webhooks.js';

/**
 * Zoho CRM as the engine sees it. Deleted records are listed (`/{module}/deleted`); lookups come
 * inside every record, and changing one moves the record's Modified_Time, so no webhook is needed
 * for association changes. Notifications (a channel per org, `Module.all`) name records created,
 * edited and deleted; webhook runs read the named records by id. Zoho meters credits per day and
 * concurrency, not a request window; a window announced in X-RATELIMIT-* headers is learned when one is sent.
 */
export const zohoModule: ConnectorModule = {
  platform: 'zoho',
  deletions: 'listing',
  // `/{module}/deleted` honours If-Modified-Since (304 when nothing was deleted since).
  deletedListing: 'filtered',
  fields: zohoFields,
  filters: zohoFilterSupport,
  parseError: parseZohoError,
  rateLimits: {
    credits: { cost: creditCost },
    readWindow(headers) {
      const max = Number(headers.get(zohoLimits.headers.limit));
      const seconds = Number(headers.get(zohoLimits.headers.reset));
      const remaining = Number(headers.get(zohoLimits.headers.remaining));
      return max > 0 && seconds > 0 ? { max, intervalMs: seconds * 1000, remaining: Number.isFinite(remaining) ? remaining : max } : null;
    },
  },
  authorization: (token) => `Zoho-oauthtoken ${token}`,
  connector: zohoConnector,
  webhooks: zohoWebhooks,
  subscribe: watchChanges,
  unsubscribe: async ({ http }, notify) => {
    if (!notify.grantedScopes.includes(NOTIFICATIONS_SCOPE)) return;
    await http('DELETE', WATCH, { query: { channel_ids: channelId(notify.accountId) } });
  },
};

const WATCH = '/crm/v8/actions/watch';
const NOTIFICATIONS_SCOPE = 'ZohoCRM.notifications.ALL';
/** A channel lives at most a day; renewed at every run, it is renewed long before that as long as runs come daily. */
const CHANNEL_LIFE_MS = 24 * 3_600_000 - 5 * 60_000;

/** One channel per org for every synced module, renewed (PUT) or, when Zoho has none, made (POST). */
async function watchChanges({ http }: ConnectorDeps, notify: NotifyTarget): Promise<void> {
  // An optional scope: without it there is nothing to subscribe, and asking would only be refused.
  if (!notify.grantedScopes.includes(NOTIFICATIONS_SCOPE)) return;
  const expiry = `${new Date(Date.now() + CHANNEL_LIFE_MS).toISOString().slice(0, 19)}+00:00`;
  const watch = [{
    channel_id: channelId(notify.accountId), notify_url: notify.url, token: channelToken(notify.secret, notify.accountId), channel_expiry: expiry,
    events: Object.values(zohoModules).map((spec) => `${spec.module}.all`),
  }];
  try {
    await http('PUT', WATCH, { body: { watch } });
  } catch (error) {
    if (!(error instanceof ProviderError && error.code === 'invalid_request')) throw error;
    await http('POST', WATCH, { body: { watch } });
  }
}
