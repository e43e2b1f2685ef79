import { integrationsRepository, type Integration } from '../db/integrations-repository.js';
import { oauthStatesRepository } from '../db/oauth-states-repository.js';
import { asSystem, withUser } from '../db/tenant.js';
import { AppError, notFound } from '../lib/errors.js';
import { decryptSecret, encryptSecret } from '../lib/secrets.js';
import type { AppContext } from '../app-context.js';
import { exchangeEndpoints, keepConnectionConfig, sandboxOrigin } from './connection-config.js';
import { chooseLoginHost, keptLoginHost, loginEndpoints, type LoginHostChoice } from './login-host.js';
import { subscribeNotifications } from './notifications.js';
import { createConnector } from './connectors.js';
import type { Display } from './oauth-begin.js';
import { holdsBrowserNonce, sha256, verifierPlace } from './oauth-binding.js';
import { failureMessage, reasonForProviderError, type CallbackFailure } from './oauth-failures.js';
import { exchangeCode, newPkce, newState, OAuthGrantError } from './oauth.js';
import { optionalScopes, platforms, type PlatformId } from './platforms.js';
import { ProviderError } from './provider-error.js';
import { subscribeWebhooks } from './webhook-subscriptions.js';
import { ensureAppWebhooks } from './app-webhooks.js';

/**
 * The server side of "Connect": a single-use state bound to the user, valid 10 minutes, with PKCE
 * where the provider supports it, and bound to the browser when it begins (oauth-begin.ts); then the
 * callback that turns a code into an integration — or into a page that says what went wrong, having
 * created nothing.
 */
const STATE_TTL_MS = 10 * 60_000;

export interface StartRequest {
  platform: PlatformId;
  /** Optional scopes the user chose; required ones are always asked for. */
  scopes?: string[];
  /** Reconnect this integration instead of creating a new one. */
  integrationId?: string;
  /** A path on the app's origin (already checked by safeReturnPath) for the full-page return. */
  returnTo?: string;
  /** The origin of the page running the flow (one of allowedAppOrigins). */
  appOrigin: string;
  /** Where the person signs in, for CRMs with several hosts (default: the one a reconnected integration used, else the CRM's). */
  loginHost?: LoginHostChoice;
}

/** Where the result goes in the browser; known only once the callback has proved it is the same browser. */
export interface ResultTarget {
  appOrigin: string;
  display: Display;
  returnTo: string | null;
}

export type CallbackOutcome =
  | { ok: true; integration: Integration; reconnected: boolean; target: ResultTarget }
  | { ok: false; reason: CallbackFailure; message: string; platform?: PlatformId; target: ResultTarget | null };

export type { CallbackFailure };
const hashState = sha256;

export function redirectUri(ctx: AppContext): string {
  return `${ctx.config.publicUrl}/crm/oauth/callback`;
}

/** What the browser needs to begin: Pulse's begin page (popup) or form target (full page), and the ticket. */
export interface StartedFlow {
  beginUrl: string;
  ticket: string;
  expiresAt: string;
}

export async function startOAuth(ctx: AppContext, userId: string, request: StartRequest): Promise<StartedFlow> {
  const spec = platforms[request.platform];
  if (!spec.available) {
    const ready = Object.values(platforms).filter((platform) => platform.available).map((platform) => platform.name);
    throw new AppError('unsupported_platform', `${spec.name} is listed but cannot be connected yet. Choose ${ready.join(' or ')} for now.`);
  }
  const endpoints = ctx.endpoints(request.platform);
  if (endpoints.mode === 'missing') {
    throw new AppError('not_ready', `${spec.name} has no client credentials on this server and no sandbox is running. Set ${request.platform.toUpperCase()}_CLIENT_ID and ${request.platform.toUpperCase()}_CLIENT_SECRET.`);
  }
  const optional = optionalScopes(request.platform);
  const unknown = (request.scopes ?? []).filter((scope) => !optional.includes(scope) && !spec.scopes.some((s) => s.required && s.name === scope));
  if (unknown.length) throw new AppError('validation_failed', `Unknown ${spec.name} scope(s): ${unknown.join(', ')}. Optional scopes are: ${optional.join(', ')}.`);
  const chosen = (request.scopes ?? []).filter((scope) => optional.includes(scope));
  const required = spec.scopes.filter((scope) => scope.required).map((scope) => scope.name);

  const chosenHost = chooseLoginHost(spec, request.loginHost);
  if (!chosenHost.ok) {
    throw new AppError('validation_failed', `${chosenHost.field} ${chosenHost.problem}.`, [{ where: `body.${chosenHost.field}`, problem: chosenHost.problem }]);
  }

  const state = newState();
  const pkce = spec.oauth.pkce ? await newPkce() : null;
  const expiresAt = new Date(Date.now() + STATE_TTL_MS);
  await withUser(ctx.db.pool, userId, async (tx) => {
    const reconnected = request.integrationId ? await integrationsRepository(tx, ctx.keys).find(request.integrationId) : null;
    if (request.integrationId && !reconnected) throw notFound('Integration');
    // Reconnecting signs in where the integration did (if that is still one of the CRM's hosts), unless the person chose again.
    const loginHost = chosenHost.origin ?? (reconnected ? keptLoginHost(spec, reconnected.connectionConfig) : null);
    await oauthStatesRepository(tx).insert({
      stateHash: hashState(state), userId, platform: request.platform,
      sealedVerifier: pkce ? encryptSecret(ctx.keys, pkce.verifier, verifierPlace(hashState(state))) : null,
      scopes: [...required, ...chosen], redirectUri: redirectUri(ctx), integrationId: request.integrationId ?? null,
      returnTo: request.returnTo ?? null, appOrigin: request.appOrigin, loginHost, expiresAt,
    });
  });
  // The provider's URL is built when the browser begins (oauth-begin.ts): handed out here, it would be
  // a link that anyone's browser could complete.
  return { beginUrl: `${ctx.config.publicUrl}/crm/oauth/begin`, ticket: state, expiresAt: expiresAt.toISOString() };
}

/**
 * `browserNonce` is the value of the flow's cookie (browserCookieName(state)) in the request, if any.
 * The state is used up even when the browser is the wrong one: a forwarded link then dies with its first use.
 */
export async function completeOAuth(ctx: AppContext, callbackUrl: URL, browserNonce: string | undefined): Promise<CallbackOutcome> {
  const params = callbackUrl.searchParams;
  const state = params.get('state');
  if (!state) return failure('missing_state');
  const row = await asSystem(ctx.db.pool, (tx) => oauthStatesRepository(tx).consume(hashState(state)));
  if (typeof row === 'string') return failure(row);
  if (!holdsBrowserNonce(browserNonce, row.browserHash) || !row.appOrigin) return failure('other_browser', row.platform);
  const target: ResultTarget = { appOrigin: row.appOrigin, display: row.display ?? 'popup', returnTo: row.returnTo };
  const fail = (reason: CallbackFailure, detail?: string) => {
    // The provider's words are for the log only (see oauth-failures.ts).
    if (detail) ctx.logger.info({ reason, platform: row.platform, detail: detail.slice(0, 500) }, 'oauth callback failed');
    return failure(reason, row.platform, target);
  };

  const error = params.get('error');
  if (error) return fail(reasonForProviderError(error), `${error}: ${params.get('error_description') ?? ''}`);

  const endpoints = loginEndpoints(ctx.endpoints(row.platform), row.loginHost);
  // A CRM that names the user's token server in the callback (Zoho's accounts-server) takes the code
  // only there: that value is checked before the code is sent to it.
  const exchange = exchangeEndpoints(row.platform, endpoints, params);
  if (!exchange.ok) return fail('untrusted_location', `${exchange.field} ${exchange.problem}`);
  let tokens;
  try {
    const verifier = row.sealedVerifier ? decryptSecret(ctx.keys, row.sealedVerifier, verifierPlace(hashState(state))) : null;
    tokens = await exchangeCode(row.platform, exchange.endpoints, callbackUrl, state, row.redirectUri, verifier);
  } catch (error) {
    if (error instanceof OAuthGrantError) {
      return fail(error.kind === 'invalid_grant' ? 'code_rejected' : error.kind === 'unreachable' ? 'unreachable' : 'provider_error', error.message);
    }
    return fail('provider_error', (error as Error).message);
  }

  // Where the account lives, if the CRM says so at token time: checked before any request goes there.
  const loginField = platforms[row.platform].loginHosts?.field;
  const start = loginField && row.loginHost ? { [loginField]: row.loginHost } : {};
  const kept = keepConnectionConfig(platforms[row.platform], { token: tokens.raw, callback: params, start }, sandboxOrigin(endpoints));
  if (!kept.ok) return fail('untrusted_location', `${kept.field} ${kept.problem}`);
  const connectionConfig = kept.config;

  let account;
  try {
    const staticTokens = { token: async () => tokens.accessToken, refresh: async () => { throw new ProviderError('auth_revoked', 'A brand-new token was refused.'); } };
    account = await createConnector(ctx, ctx.services, { platform: row.platform, externalAccountId: null, connectionConfig, tokens: staticTokens }).account();
  } catch (error) {
    return fail('provider_error', `a token was issued but the account lookup failed: ${(error as Error).message}`);
  }

  const saved = await withUser(ctx.db.pool, row.userId, async (tx) => {
    const repo = integrationsRepository(tx, ctx.keys);
    if (row.integrationId) {
      const current = await repo.find(row.integrationId);
      if (current?.externalAccountId && current.externalAccountId !== account.externalAccountId) return null;
    }
    const existingId = row.integrationId ?? (await repo.idByAccount(row.platform, account.externalAccountId));
    const grantedScopes = tokens.scopes ?? account.grantedScopes;
    if (existingId) {
      await repo.findForUpdate(existingId);
      await repo.saveTokens(existingId, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt });
      await repo.markConnected(existingId, { grantedScopes, externalAccountId: account.externalAccountId, connectionConfig });
      return { integration: (await repo.find(existingId))!, reconnected: true };
    }
    const created = await repo.create({
      platform: row.platform, displayName: account.displayName, externalAccountId: account.externalAccountId, grantedScopes,
      accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, tokenExpiresAt: tokens.expiresAt, connectionConfig,
    });
    return { integration: created, reconnected: false };
  });
  if (!saved) return fail('wrong_account');
  const { integration, reconnected } = saved;
  // This process may remember the old grant's token for up to 30 s; the next request must use the new one.
  if (reconnected) ctx.services.tokens.forget(integration.id);
  await subscribeAfterConnect(ctx, integration);
  await ensureAppWebhooks(ctx, integration.platform);
  ctx.logger.info({ integrationId: integration.id, platform: row.platform, reconnected }, 'integration connected');
  // Change notifications, for CRMs whose channels the integration subscribes itself (never fatal).
  await subscribeNotifications(ctx, integration);
  await ctx.events?.publish(row.userId, { type: 'integration.connected', integrationId: integration.id });
  return { ok: true, integration, reconnected, target };
}

/** Registers the connection's webhooks where its CRM wants that; a failure leaves a working connection (logged). */
async function subscribeAfterConnect(ctx: AppContext, integration: Integration): Promise<void> {
  try {
    const outcome = await subscribeWebhooks(ctx, integration);
    if (!outcome.subscribed && outcome.reason) ctx.logger.info({ integrationId: integration.id, reason: outcome.reason }, 'webhooks not registered');
  } catch (error) {
    ctx.logger.warn({ integrationId: integration.id, err: error }, 'could not register webhooks; deletions will arrive with the slower path');
  }
}

function failure(reason: CallbackFailure, platform?: PlatformId, target: ResultTarget | null = null): CallbackOutcome {
  return { ok: false, reason, platform, target, message: failureMessage(reason, platform) };
}
