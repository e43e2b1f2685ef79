import type { ConnectorModule } from '../connector-module.js';
import { hubspotFilterSupport } from './filters.js';
import { hubspotAppWebhooks } from './app-webhooks.js';
import { hubspotConnector } from './connector.js';
import { parseHubspotError } from './errors.js';
import { hubspotFields } from './spec.js';
import { hubspotLimits } from './spec.js';
import { hubspotWebhooks } from './webhooks.js';

/**
 * HubSpot as the engine sees it. Deleted records are listed (archived=true); the account's window
 * is announced on every non-search response, so it is learned, not assumed from a tier; search has
 * a fixed limit of its own and announces nothing.
 */
export const hubspotModule: ConnectorModule = {
  platform: 'hubspot',
  deletions: 'listing',
  // `archived=true` takes no time filter (only limit, after, properties): each read is the whole
  // archive, ~1,000 requests for 100k archived records. archivedAt is filtered on our side.
  deletedListing: 'whole_archive',
  fields: hubspotFields,
  filters: hubspotFilterSupport,
  parseError: parseHubspotError,
  rateLimits: {
    fixed: { search: hubspotLimits.searchRate },
    readWindow(headers) {
      const max = Number(headers.get(hubspotLimits.headers.max));
      const intervalMs = Number(headers.get(hubspotLimits.headers.interval));
      const remaining = Number(headers.get(hubspotLimits.headers.remaining));
      return max > 0 && intervalMs > 0 ? { max, intervalMs, remaining: Number.isFinite(remaining) ? remaining : max } : null;
    },
  },
  connector: hubspotConnector,
  // Token errors carry `status` (BAD_REFRESH_TOKEN, BAD_AUTH_CODE…) and `message`, not `error`.
  tokenError(body) {
    if (typeof body.status !== 'string') return null;
    const error = /BAD_(REFRESH_TOKEN|AUTH_CODE|GRANT)|EXPIRED|REVOKED/.test(body.status) ? 'invalid_grant' : /CLIENT/.test(body.status) ? 'invalid_client' : 'invalid_request';
    return { error, description: typeof body.message === 'string' ? body.message : undefined };
  },
  webhooks: hubspotWebhooks,
  appWebhooks: hubspotAppWebhooks,
};
