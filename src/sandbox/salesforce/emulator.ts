/**
 * The Salesforce emulator as the sandbox registry sees it: the login host's OAuth endpoints and an
 * org's instance (REST, Bulk API 2.0) on one origin. Everything here is Salesforce's own; the request
 * pipeline and the generic admin API come from ../core.
 */
import { SANDBOX_IDENTITIES } from '../wiring.js';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { bearerToken, type Emulator } from '../core/emulator.js';
import type { TokenFormats } from '../core/tokens.js';
import { createOrg, reseedOrg } from './accounts.js';
import { registerRecordAdmin } from './admin-records-routes.js';
import { orgIdOf } from './app.js';
import { registerBulkRoutes } from './bulk-routes.js';
import type { SalesforceContext } from './context.js';
import { SALESFORCE_REFUSALS } from './errors.js';
import { DEFAULT_ANCHOR } from './generate.js';
import { DAILY_BULK_QUERY_JOBS, LIMIT_TIERS, limitHeaders } from './limits.js';
import { registerOAuthRoutes, tokenResponse } from './oauth-routes.js';
import { newOutboundState, registerOutboundMessageAdmin } from './outbound-messages.js';
import { registerRestRoutes } from './rest-routes.js';
import { registerCommitLagAdmin } from './settings.js';

/** Session ids look like `00D…!AQ…`; refresh tokens and codes are long opaque strings. */
const TOKEN_FORMATS: TokenFormats = {
  access: () => `00D000000000001!AQ${randomBytes(72).toString('base64url').replace(/[-_]/g, 'x')}`,
  refresh: () => `5Aep861${randomBytes(64).toString('base64url').replace(/[-_]/g, 'x')}`,
  code: () => `aPrx${randomBytes(48).toString('base64url').replace(/[-_]/g, 'x')}==`,
  privateApp: () => `00D000000000001!AR${randomBytes(72).toString('base64url').replace(/[-_]/g, 'x')}`,
};

export const salesforceEmulator: Emulator<SalesforceContext> = {
  name: 'Salesforce',
  ...SANDBOX_IDENTITIES.salesforce,
  tokenFormats: TOKEN_FORMATS,
  limits: { tiers: LIMIT_TIERS, defaultTier: 'enterprise', windowPer: 'account', headers: limitHeaders },
  refusals: SALESFORCE_REFUSALS,
  accessToken: bearerToken,

  createContext(core, opts) {
    const org = createOrg(core.store, { records: opts.records, limits: opts.limits }, DEFAULT_ANCHOR);
    core.store.defaultAccountId = org.id;
    return {
      ...core,
      options: { ...core.options, anchor: DEFAULT_ANCHOR, commitLagMs: opts.search?.lagMs ?? 0, rotateRefreshTokens: false, dailyBulkQueryJobs: DAILY_BULK_QUERY_JOBS },
      locators: new Map(),
      extras: new WeakMap(),
      nextLocator: 1,
      origin: `http://127.0.0.1:${4102}`,
      outbound: newOutboundState(),
    };
  },

  accounts: {
    create: (ctx, input) => createOrg(ctx.store, input, ctx.options.anchor),
    reseed: (ctx, org, seed, records) => reseedOrg(ctx.store, org, seed, records, ctx.options.anchor),
  },

  registerRoutes(app: FastifyInstance, ctx) {
    registerOAuthRoutes(app, ctx);
    registerRestRoutes(app, ctx);
    registerBulkRoutes(app, ctx);
    registerRecordAdmin(app, ctx);
    registerCommitLagAdmin(app, ctx);
    registerOutboundMessageAdmin(app, ctx);
  },
  manualWebhookSetup: { method: 'PUT', path: '/_sandbox/outbound-messages', body: (endpointUrl) => ({ endpointUrl }) },

  tokenResponse: (ctx, access, refreshToken) => tokenResponse(ctx, access, refreshToken),
  describe: (ctx) => ({ orgId: orgIdOf(ctx.store.defaultAccountId), commitLagMs: ctx.options.commitLagMs, rotateRefreshTokens: ctx.options.rotateRefreshTokens }),
  banner: (ctx, url) => [
    `  login / consent ${url}/services/oauth2/authorize   (login host and instance are this one origin)`,
    `  REST API        ${url}/services/data/v60.0   org ${orgIdOf(ctx.store.defaultAccountId)}   admin API ${url}/_sandbox`,
  ],
};
