import type { ConnectorModule } from '../connector-module.js';
import { pipedriveFilterSupport } from './filters.js';
import { pipedriveConnector } from './connector.js';
import { isCustomFieldKey } from './field-types.js';
import { parsePipedriveError } from './errors.js';
import { pipedriveFields, pipedriveLimits } from './spec.js';
import { pipedriveSubscriptions } from './subscriptions.js';
import { pipedriveWebhooks } from './webhooks.js';

/**
 * Pipedrive as the engine sees it. Deleted deals are listed (`status=deleted`); persons and
 * organizations have no deleted listing, so their deletions arrive by webhook and a full listing
 * at least daily sweeps what was not seen (`notified`). The burst window is announced on every
 * response (limit and remaining; its length, 2 s, is Pipedrive's documented one), so it is learned.
 */
export const pipedriveModule: ConnectorModule = {
  platform: 'pipedrive',
  deletions: { contacts: 'notified', companies: 'notified', deals: 'listing' },
  reconcileEveryMs: pipedriveLimits.reconcileEveryMs,
  // Deals' `status=deleted` listing takes `updated_since` (a deletion updates the deal).
  deletedListing: 'filtered',
  fields: pipedriveFields,
  filters: pipedriveFilterSupport,
  // v2 records carry custom fields by their hash key under `custom_fields`, the standard ones on top.
  fieldPath: (field) => (isCustomFieldKey(field) ? ['custom_fields', field] : [field]),
  parseError: parsePipedriveError,
  rateLimits: {
    readWindow(headers) {
      const max = Number(headers.get(pipedriveLimits.headers.limit));
      const remaining = Number(headers.get(pipedriveLimits.headers.remaining));
      return max > 0 ? { max, intervalMs: pipedriveLimits.burstWindowMs, remaining: Number.isFinite(remaining) ? remaining : max } : null;
    },
  },
  connector: pipedriveConnector,
  // The OAuth server answers `{ success: false, message, error }` with RFC 6749 codes in `error`.
  tokenError(body) {
    if (typeof body.error !== 'string') return null;
    return { error: body.error, description: typeof body.message === 'string' ? body.message : undefined };
  },
  webhooks: pipedriveWebhooks,
  subscriptions: pipedriveSubscriptions,
};
