import { createHash } from 'node:crypto';
import { integrationsRepository, type Integration } from '../db/integrations-repository.js';
import { asSystem, withUser } from '../db/tenant.js';
import { AppError, notFound } from '../lib/errors.js';
import { decryptSecret, encryptSecret } from '../lib/secrets.js';
import type { AppContext } from '../server/context.js';
import { createConnector } from './connectors.js';
import { authorizeUrl, exchangeCode, newPkce, newState, OAuthGrantError } from './oauth.js';
import { platforms, type PlatformId } from './platforms.js';
import { ProviderError } from './provider-error.js';

/**
 * The server side of "Connect": a single-use state bound to the user, valid 10 minutes, with PKCE
 * where the provider supports it; then the callback that turns a code into an integration — or into
 * a page that says what went wrong, having created nothing.
 */
const STATE_TTL_MS = 10 * 60_000;

export interface StartRequest {
  platform: PlatformId;
  /** Optional scopes the user chose; required ones are always asked for. */
  scopes?: string[];
  /** Reconnect this integration instead of creating a new one. */
  integrationId?: string;
  returnTo?: string;
}

export type CallbackOutcome =
  | { ok: true; integration: Integration; reconnected: boolean; returnTo: string | null }
  | { ok: false; reason: CallbackFailure; message: string; platform?: PlatformId; returnTo: string | null };

export type CallbackFailure = 'denied' | 'missing_state' | 'unknown_state' | 'replayed_state' | 'expired_state' | 'code_rejected' | 'provider_error' | 'unreachable';

const hashState = (state: string) => createHash('sha256').update(state).digest('hex');

export function redirectUri(ctx: AppContext): string {
  return `${ctx.config.publicUrl}/crm/oauth/callback`;
}

export async function startOAuth(ctx: AppContext, userId: string, request: StartRequest): Promise<{ authorizeUrl: string; expiresAt: string }> {
  const spec = platforms[request.platform];
  if (!spec.available) throw new AppError('unsupported_platform', `${spec.name} is listed but cannot be connected yet. Choose HubSpot for now.`);
  const endpoints = ctx.endpoints(request.platform);
  if (endpoints.mode === 'missing') {
    throw new AppError('not_ready', `${spec.name} has no client credentials on this server and no sandbox is running. Set ${request.platform.toUpperCase()}_CLIENT_ID and ${request.platform.toUpperCase()}_CLIENT_SECRET.`);
  }
  const optional = spec.scopes.filter((scope) => !scope.required).map((scope) => scope.name);
  const unknown = (request.scopes ?? []).filter((scope) => !optional.includes(scope) && !spec.scopes.some((s) => s.required && s.name === scope));
  if (unknown.length) throw new AppError('validation_failed', `Unknown ${spec.name} scope(s): ${unknown.join(', ')}. Optional scopes are: ${optional.join(', ')}.`);
  const chosen = (request.scopes ?? []).filter((scope) => optional.includes(scope));
  const required = spec.scopes.filter((scope) => scope.required).map((scope) => scope.name);

  const state = newState();
  const pkce = spec.oauth.pkce ? await newPkce() : null;
  const expiresAt = new Date(Date.now() + STATE_TTL_MS);
  await withUser(ctx.db.pool, userId, async (tx) => {
    if (request.integrationId && !(await integrationsRepository(tx, ctx.keys).find(request.integrationId))) {
      throw notFound('Integration');
    }
    await tx.query(
      `INSERT INTO oauth_states (state_hash, user_id, platform, code_verifier, scopes, redirect_uri, integration_id, return_to, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [hashState(state), userId, request.platform, pkce ? encryptSecret(ctx.keys, pkce.verifier) : null, [...required, ...chosen],
        redirectUri(ctx), request.integrationId ?? null, request.returnTo ?? null, expiresAt],
    );
  });
  const url = authorizeUrl(request.platform, endpoints, {
    redirectUri: redirectUri(ctx), state, requiredScopes: required, optionalScopes: chosen, codeChallenge: pkce?.challenge,
  });
  return { authorizeUrl: url, expiresAt: expiresAt.toISOString() };
}

interface StateRow {
  user_id: string;
  platform: PlatformId;
  code_verifier: string | null;
  redirect_uri: string;
  integration_id: string | null;
  return_to: string | null;
}

/** Marks the state used (once) and returns it, or says why it cannot be used. */
async function consumeState(ctx: AppContext, state: string): Promise<StateRow | CallbackFailure> {
  return asSystem(ctx.db.pool, async (tx) => {
    const { rows } = await tx.query<StateRow & { used_at: Date | null; expired: boolean }>(
      `SELECT user_id, platform, code_verifier, redirect_uri, integration_id, return_to, used_at, expires_at < now() AS expired
       FROM oauth_states WHERE state_hash = $1 FOR UPDATE`,
      [hashState(state)],
    );
    const row = rows[0];
    if (!row) return 'unknown_state';
    if (row.used_at) return 'replayed_state';
    await tx.query('UPDATE oauth_states SET used_at = now() WHERE state_hash = $1', [hashState(state)]);
    return row.expired ? 'expired_state' : row;
  });
}

export async function completeOAuth(ctx: AppContext, callbackUrl: URL): Promise<CallbackOutcome> {
  const params = callbackUrl.searchParams;
  const state = params.get('state');
  if (!state) return failure('missing_state');
  const row = await consumeState(ctx, state);
  if (typeof row === 'string') return failure(row);
  const name = platforms[row.platform].name;
  const fail = (reason: CallbackFailure, detail?: string) => failure(reason, row.platform, row.return_to, detail);

  const error = params.get('error');
  if (error) return fail(error === 'access_denied' || error === 'user_denied' ? 'denied' : 'provider_error', params.get('error_description') ?? error);

  const endpoints = ctx.endpoints(row.platform);
  let tokens;
  try {
    const verifier = row.code_verifier ? decryptSecret(ctx.keys, row.code_verifier) : null;
    tokens = await exchangeCode(row.platform, endpoints, callbackUrl, state, row.redirect_uri, verifier);
  } catch (error) {
    if (error instanceof OAuthGrantError) {
      return fail(error.kind === 'invalid_grant' ? 'code_rejected' : error.kind === 'unreachable' ? 'unreachable' : 'provider_error', error.message);
    }
    return fail('provider_error', (error as Error).message);
  }

  let account;
  try {
    const staticTokens = { token: async () => tokens.accessToken, refresh: async () => { throw new ProviderError('auth_revoked', 'A brand-new token was refused.'); } };
    account = await createConnector(ctx, ctx.services, { platform: row.platform, externalAccountId: null, tokens: staticTokens }).account();
  } catch (error) {
    return fail('provider_error', `${name} issued a token but would not say which account it belongs to: ${(error as Error).message}`);
  }

  const saved = await withUser(ctx.db.pool, row.user_id, async (tx) => {
    const repo = integrationsRepository(tx, ctx.keys);
    if (row.integration_id) {
      const current = await repo.find(row.integration_id);
      if (current?.externalAccountId && current.externalAccountId !== account.externalAccountId) return null;
    }
    const existingId = row.integration_id ?? (await tx.query<{ id: string }>(
      'SELECT id FROM crm_integrations WHERE platform = $1 AND external_account_id = $2', [row.platform, account.externalAccountId],
    )).rows[0]?.id;
    const grantedScopes = tokens.scopes ?? account.grantedScopes;
    if (existingId) {
      await repo.findForUpdate(existingId);
      await repo.saveTokens(existingId, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt });
      await tx.query(`UPDATE crm_integrations SET status = 'connected', last_error = NULL, is_active = true, granted_scopes = $2, external_account_id = $3 WHERE id = $1`,
        [existingId, grantedScopes, account.externalAccountId]);
      return { integration: (await repo.find(existingId))!, reconnected: true };
    }
    const created = await repo.create({
      platform: row.platform, displayName: account.displayName, externalAccountId: account.externalAccountId, grantedScopes,
      accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, tokenExpiresAt: tokens.expiresAt,
    });
    return { integration: created, reconnected: false };
  });
  if (!saved) {
    return fail('provider_error', `you signed in to a different ${name} account than the one this integration syncs. Reconnect with the same account, or connect the other one as a new integration`);
  }
  const { integration, reconnected } = saved;
  ctx.logger.info({ integrationId: integration.id, platform: row.platform, reconnected }, 'integration connected');
  await ctx.events?.publish(row.user_id, { type: 'integration.connected', integrationId: integration.id });
  return { ok: true, integration, reconnected, returnTo: row.return_to };
}

const failureMessages: Record<CallbackFailure, (name: string, detail?: string) => string> = {
  denied: (name) => `You declined access in ${name}, so nothing was connected. Start again from the setup wizard when you are ready.`,
  missing_state: () => 'This page was opened without the information it needs. Start the connection again from the setup wizard.',
  unknown_state: () => 'This sign-in link was not issued by Pulse (or has been cleaned up). Start the connection again from the setup wizard.',
  replayed_state: () => 'This sign-in link was already used. Each link works once: start the connection again from the setup wizard.',
  expired_state: () => 'This sign-in link expired (they last 10 minutes). Start the connection again from the setup wizard.',
  code_rejected: (name, detail) => `${name} rejected the authorization code${detail ? ` (${detail})` : ''}. Nothing was connected; start again from the setup wizard.`,
  provider_error: (name, detail) => `${name} reported an error${detail ? `: ${detail}` : ''}. Nothing was connected; try again in a minute.`,
  unreachable: (name) => `${name} could not be reached to finish the connection. Nothing was connected; check the network and try again.`,
};

function failure(reason: CallbackFailure, platform?: PlatformId, returnTo: string | null = null, detail?: string): CallbackOutcome {
  const name = platform ? platforms[platform].name : 'The CRM';
  return { ok: false, reason, platform, returnTo, message: failureMessages[reason](name, detail) };
}
