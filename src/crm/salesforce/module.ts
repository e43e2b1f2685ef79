import type { ConnectorModule } from '../connector-module.js';
import { salesforceFilterSupport } from './filters.js';
import { salesforceConnector } from './connector.js';
import { parseSalesforceError } from './errors.js';
import { salesforceOutboundMessages } from './outbound-messages.js';
import { salesforceFields, salesforceLimits } from './spec.js';
import { salesforceSubscriptions } from './subscriptions.js';

/**
 * Salesforce as the engine sees it. Deletions come in the changes pages (queryAll rows with
 * IsDeleted = true). There is
 * no request window to learn or declare: the org has a 24-hour allocation, stated by `Sforce-Limit-Info` on every
 * answer (a run stops at 95 % of it and ends partial, allocation.ts) and a concurrency limit answered 403 REQUEST_LIMIT_EXCEEDED, retried after a second.
 * Tokens carry no lifetime: Pulse plans a refresh at the default session timeout after `issued_at`
 * and refreshes on the 401 INVALID_SESSION_ID that ends a shorter session. Changes are pushed by
 * Outbound Messages the person sets up in Setup (subscriptions.ts), to a secret address per connection.
 */
export const salesforceModule: ConnectorModule = {
  platform: 'salesforce',
  deletions: 'in_page',
  // No deleted listing of its own: deletions ride the changes query, filtered by SystemModstamp.
  deletedListing: 'filtered',
  fields: salesforceFields,
  filters: salesforceFilterSupport,
  parseError: parseSalesforceError,
  rateLimits: {},
  connector: salesforceConnector,
  tokenExpiry(body) {
    const issuedAt = Number(body.issued_at);
    return Number.isFinite(issuedAt) && issuedAt > 0 ? new Date(issuedAt + salesforceLimits.sessionHintMs) : null;
  },
  webhooks: salesforceOutboundMessages,
  subscriptions: salesforceSubscriptions,
};
