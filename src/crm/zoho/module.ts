import type { ConnectorModule } from '../connector-module.js';
import { zohoConnector } from './connector.js';
import { parseZohoError } from './errors.js';
import { creditCost, zohoFields, zohoLimits } from './spec.js';

/**
 * Zoho CRM as the engine sees it. Deleted records are listed (`/{module}/deleted`); lookups come
 * inside every record, and changing one moves the record's Modified_Time, so no webhook is needed
 * for association changes. Zoho meters credits per day and concurrency, not a request window; a
 * window announced in X-RATELIMIT-* headers is learned when one is sent.
 */
export const zohoModule: ConnectorModule = {
  platform: 'zoho',
  deletions: 'listing',
  fields: zohoFields,
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
};
