/**
 * The Zoho CRM emulator as the sandbox registry sees it: accounts.zoho.{dc} and www.zohoapis.{dc}
 * for every data centre on one origin (datacentres.ts). Everything here is Zoho's own; the request
 * pipeline and the generic admin API come from ../core.
 */
import { SANDBOX_IDENTITIES } from '../wiring.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Emulator } from '../core/emulator.js';
import { createOrg, reseedOrg } from './accounts.js';
import { registerZohoAdmin } from './admin-records-routes.js';
import type { ZohoContext } from './context.js';
import { registerFormData } from './form-data.js';
import { DEFAULT_ANCHOR } from './generate.js';
import { registerGuards } from './guards.js';
import { DEFAULT_TIER, LIMIT_TIERS, limitHeaders } from './limits.js';
import { registerMetaRoutes } from './meta-routes.js';
import { registerBulkReadRoutes } from './bulk-read.js';
import { registerCoqlRoutes } from './coql.js';
import { registerNotificationRoutes } from './notifications.js';
import { registerOAuthRoutes, tokenResponse } from './oauth-routes.js';
import { registerRecordRoutes } from './records-routes.js';
import { ZOHO_REFUSALS } from './refusals.js';
import { ZOHO_TOKEN_FORMATS } from './token-formats.js';

/** `Authorization: Zoho-oauthtoken <token>` (what Zoho's SDKs send), or `Bearer <token>`. */
function zohoToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^(?:Zoho-oauthtoken|Bearer)\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

export const zohoEmulator: Emulator<ZohoContext> = {
  name: 'Zoho CRM',
  ...SANDBOX_IDENTITIES.zoho,
  tokenFormats: ZOHO_TOKEN_FORMATS,
  limits: { tiers: LIMIT_TIERS, defaultTier: DEFAULT_TIER, windowPer: 'app', headers: limitHeaders },
  refusals: ZOHO_REFUSALS,
  accessToken: zohoToken,
  responseHeaders: (req) => ({ 'X-Request-Id': req.id }),

  createContext(core, opts) {
    const ctx: ZohoContext = {
      ...core,
      options: { ...core.options, anchor: DEFAULT_ANCHOR, lagMs: opts.search?.lagMs ?? 0 },
      orgs: new Map(),
      codes: new Map(),
      mints: new Map(),
      deletions: new Map(),
      channels: new Map(),
      origin: 'http://127.0.0.1:4104',
    };
    const org = createOrg(core.store, ctx.orgs, { records: opts.records, limits: opts.limits }, DEFAULT_ANCHOR);
    core.store.defaultAccountId = org.id;
    return ctx;
  },

  accounts: {
    create: (ctx, input) => createOrg(ctx.store, ctx.orgs, input, ctx.options.anchor),
    reseed: (ctx, account, seed, records) => {
      reseedOrg(ctx.store, account, seed, records, ctx.options.anchor);
      for (const key of [...ctx.deletions.keys()]) if (key.startsWith(`${account.id}:`)) ctx.deletions.delete(key);
    },
  },

  registerRoutes(app: FastifyInstance, ctx) {
    registerFormData(app);
    registerGuards(app, ctx);
    registerOAuthRoutes(app, ctx);
    registerRecordRoutes(app, ctx);
    registerMetaRoutes(app, ctx);
    registerNotificationRoutes(app, ctx);
    registerCoqlRoutes(app, ctx);
    registerBulkReadRoutes(app, ctx);
    registerZohoAdmin(app, ctx);
  },

  tokenResponse: (ctx, access, refresh) => tokenResponse(ctx, access, refresh),
  describe: (ctx) => ({ orgs: Object.fromEntries(ctx.orgs) }),
  banner: (ctx, url) => [
    `  consent page   ${url}/oauth/v2/auth   (other data centres: ${url}/eu/oauth/v2/auth, …)`,
    `  org id         ${ctx.store.defaultAccountId}   admin API ${url}/_sandbox`,
  ],
};
