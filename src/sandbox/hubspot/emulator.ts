/**
 * The HubSpot emulator as the sandbox registry sees it: api.hubapi.com's paths (and the
 * app.hubspot.com consent page) at the root of its origin. Everything here is HubSpot's own; the
 * request pipeline and the generic admin API come from ../core.
 */
import { SANDBOX_IDENTITIES } from '../wiring.js';
import type { FastifyInstance } from 'fastify';
import { bearerToken, type Emulator } from '../core/emulator.js';
import { createAccount, reseedAccount } from './accounts.js';
import { registerHubspotAdmin } from './admin-routes.js';
import { HUBSPOT_APP, SANDBOX_DEVELOPER_API_KEY } from './app.js';
import { registerAssociationRoutes } from './associations-routes.js';
import { registerAuthorizeRoutes } from './authorize-routes.js';
import { registerBatchRoutes } from './batch-routes.js';
import type { HubspotContext } from './context.js';
import { DEFAULT_ANCHOR } from './generate.js';
import { LIMIT_TIERS, limitHeaders } from './limits.js';
import { registerMetadataRoutes } from './metadata-routes.js';
import { registerObjectRoutes } from './objects-routes.js';
import { HUBSPOT_REFUSALS } from './refusals.js';
import { registerSearchRoutes } from './search-routes.js';
import { HUBSPOT_TOKEN_FORMATS } from './token-formats.js';
import { setSearchSettings } from './search-settings.js';
import { registerTokenRoutes, tokenResponse } from './token-routes.js';
import { createEmitter } from './webhook-events.js';
import { WebhookRegistry } from './webhook-registry.js';
import { registerWebhookRoutes } from './webhook-routes.js';

export const hubspotEmulator: Emulator<HubspotContext> = {
  name: 'HubSpot',
  ...SANDBOX_IDENTITIES.hubspot,
  tokenFormats: HUBSPOT_TOKEN_FORMATS,
  limits: { tiers: LIMIT_TIERS, defaultTier: 'oauth', windowPer: 'app', headers: limitHeaders },
  refusals: HUBSPOT_REFUSALS,
  accessToken: bearerToken,
  responseHeaders: (req) => ({ 'X-HubSpot-Correlation-Id': req.id }),

  createContext(core, opts) {
    const account = createAccount(core.store, { records: opts.records, limits: opts.limits }, DEFAULT_ANCHOR);
    core.store.defaultAccountId = account.id;
    const ctx: HubspotContext = {
      ...core,
      webhooks: new WebhookRegistry(),
      options: { ...core.options, developerApiKey: SANDBOX_DEVELOPER_API_KEY, anchor: DEFAULT_ANCHOR },
      emit: (accountId, change) => emit(accountId, change),
    };
    const emit = createEmitter(() => ctx);
    if (opts.search) setSearchSettings(ctx, { searchLagMs: opts.search.lagMs ?? 0, shuffleTies: opts.search.shuffleTies ?? false });
    return ctx;
  },

  accounts: {
    create: (ctx, input) => createAccount(ctx.store, input, ctx.options.anchor),
    reseed: (ctx, account, seed, records) => reseedAccount(ctx.store, account, seed, records, ctx.options.anchor),
  },

  registerRoutes(app: FastifyInstance, ctx) {
    registerAuthorizeRoutes(app, ctx);
    registerTokenRoutes(app, ctx);
    registerObjectRoutes(app, ctx);
    registerBatchRoutes(app, ctx);
    registerSearchRoutes(app, ctx);
    registerAssociationRoutes(app, ctx);
    registerMetadataRoutes(app, ctx);
    registerWebhookRoutes(app, ctx);
    registerHubspotAdmin(app, ctx);
  },

  tokenResponse,
  describe: (ctx) => ({ developerApiKey: ctx.options.developerApiKey }),
  banner: (ctx, url) => [
    `  consent page   ${url}/oauth/authorize`,
    `  app id         ${HUBSPOT_APP.appId}   developer hapikey ${ctx.options.developerApiKey}`,
    `  hub id         ${ctx.store.defaultAccountId}   admin API ${url}/_sandbox`,
  ],
  // No onLocalStart: the app's webhooks are Pulse's to keep, through the management API (src/crm/hubspot/app-webhooks.ts).
};
