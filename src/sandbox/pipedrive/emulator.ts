/**
 * The Pipedrive emulator as the sandbox registry sees it: one origin serving the OAuth server
 * (`/oauth/*`) and the API (`/api/v1`, `/api/v2`, `/v1`), as the official SDK's `host` option
 * expects. Everything here is Pipedrive's own; the request pipeline and the generic admin API come
 * from ../core.
 */
import { SANDBOX_IDENTITIES } from '../wiring.js';
import type { FastifyInstance } from 'fastify';
import { bearerToken, type Emulator } from '../core/emulator.js';
import { createAccount, reseedAccount } from './accounts.js';
import { registerAdminRoutes, registerSettingsAdmin } from './admin-routes.js';
import type { PipedriveContext } from './context.js';
import { PIPEDRIVE_REFUSALS } from './errors.js';
import { DEFAULT_ANCHOR } from './generate.js';
import { LIMIT_TIERS, limitHeaders } from './limits.js';
import { registerMetadataRoutes } from './metadata-routes.js';
import { registerOAuthRoutes, rememberOrigin, tokenResponse } from './oauth-routes.js';
import { DEFAULT_LIST_LATENCY_MS_PER_RECORD, registerRecordRoutes } from './records-routes.js';
import { PIPEDRIVE_TOKEN_FORMATS } from './token-formats.js';
import { createEmitter, registerWebhookRoutes, WebhookRegistry } from './webhooks.js';

export const pipedriveEmulator: Emulator<PipedriveContext> = {
  name: 'Pipedrive',
  ...SANDBOX_IDENTITIES.pipedrive,
  tokenFormats: PIPEDRIVE_TOKEN_FORMATS,
  // The burst window is per token in Pipedrive; per account and app is the closest core offers.
  limits: { tiers: LIMIT_TIERS, defaultTier: 'growth', windowPer: 'app', headers: limitHeaders },
  refusals: PIPEDRIVE_REFUSALS,
  accessToken: bearerToken,
  responseHeaders: (req) => ({ 'x-correlation-id': req.id }),

  createContext(core, opts) {
    const account = createAccount(core.store, { records: opts.records, limits: opts.limits }, DEFAULT_ANCHOR);
    core.store.defaultAccountId = account.id;
    const ctx: PipedriveContext = {
      ...core,
      origin: `http://127.0.0.1:${4103}`,
      webhooks: new WebhookRegistry(),
      options: { ...core.options, anchor: DEFAULT_ANCHOR, listingLagMs: opts.search?.lagMs ?? 0, listLatencyMsPerRecord: opts.latency?.listMsPerRecord ?? DEFAULT_LIST_LATENCY_MS_PER_RECORD },
      emit: (change) => emit(change),
    };
    const emit = createEmitter(() => ctx);
    return ctx;
  },

  accounts: {
    create: (ctx, input) => createAccount(ctx.store, input, ctx.options.anchor),
    reseed: (ctx, account, seed, records) => reseedAccount(ctx.store, account, seed, records, ctx.options.anchor),
  },

  registerRoutes(app: FastifyInstance, ctx) {
    app.addHook('onRequest', async (req) => rememberOrigin(ctx, req));
    // The API gateway marks the 401s it answers itself (every 401 of the API is one).
    app.addHook('onSend', async (req, reply) => {
      if (reply.statusCode === 401 && !req.url.startsWith('/oauth/')) reply.header('x-401-by-gw', 'true');
    });
    registerOAuthRoutes(app, ctx);
    registerRecordRoutes(app, ctx);
    registerMetadataRoutes(app, ctx);
    registerWebhookRoutes(app, ctx);
    registerAdminRoutes(app, ctx);
    registerSettingsAdmin(app, ctx);
  },

  tokenResponse,
  banner: (ctx, url) => [
    `  consent page   ${url}/oauth/authorize`,
    `  company id     ${ctx.store.defaultAccountId}   admin API ${url}/_sandbox`,
  ],
  // No onLocalStart: Pulse registers its webhooks itself after connecting (src/crm/pipedrive/subscriptions.ts).
};
