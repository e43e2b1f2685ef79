import { integrationsRepository } from '../db/integrations-repository.js';
import { withUser } from '../db/tenant.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import type { Pool } from 'pg';
import type { PulseEvent } from '../events/types.js';
import type { KeyRing } from '../lib/secrets.js';
import type { Logger } from '../logger.js';
import { connectionEndpoints } from './connection-config.js';
import type { ProviderEndpoints } from './endpoints.js';
import { OAuthGrantError, refreshTokens } from './oauth.js';
import type { PlatformId } from './platforms.js';
import { ProviderError } from './provider-error.js';

/**
 * Access tokens for an integration, refreshed before they expire and after a 401, exactly once
 * however many requests, jobs and worker processes need a new one at the same moment: the refresh
 * runs while holding the integration's row lock, and whoever gets the lock second finds the new
 * token already stored. Only a refusal the stored token confirms marks the integration needs_reauth.
 */
export interface IntegrationRef {
  id: string;
  userId: string;
  platform: PlatformId;
}

export interface TokenSource {
  token(): Promise<string>;
  refresh(failed: string): Promise<string>;
}

/** Refresh this long before the provider's expiry, so a page request never races the clock. */
const EXPIRY_MARGIN_MS = 2 * 60_000;
/**
 * Every request needs the token, so it is kept in memory instead of read (and decrypted) from the
 * database each time; briefly, so a token another process replaced is picked up soon after.
 */
const CACHE_MS = 30_000;

/** What token refresh needs; `publish` tells the user's browsers when a grant needs reconnecting. */
export interface TokenManagerDeps {
  pool: Pool;
  keys: KeyRing;
  logger: Logger;
  endpoints(platform: PlatformId): ProviderEndpoints;
  publish(userId: string, event: PulseEvent): Promise<void>;
}

export function createTokenManager(deps: TokenManagerDeps) {
  // Same-process callers share one refresh; the row lock covers other processes.
  const inflight = new Map<string, Promise<string>>();
  const cache = new Map<string, { token: string; expiresAt: Date | null; until: number }>();
  const remember = (id: string, token: string, expiresAt: Date | null) => {
    cache.set(id, { token, expiresAt, until: Date.now() + CACHE_MS });
    return token;
  };
  const repo = (tx: Parameters<typeof integrationsRepository>[0]) => integrationsRepository(tx, deps.keys);

  const isFresh = (expiresAt: Date | null) => !expiresAt || expiresAt.getTime() - Date.now() > EXPIRY_MARGIN_MS;

  async function token(ref: IntegrationRef): Promise<string> {
    const cached = cache.get(ref.id);
    if (cached && cached.until > Date.now() && isFresh(cached.expiresAt)) return cached.token;
    const credentials = await withUser(deps.pool, ref.userId, (tx) => repo(tx).readCredentials(ref.id));
    if (!credentials?.accessToken) throw new ProviderError('auth_revoked', 'The integration has no access token; reconnect it.');
    return isFresh(credentials.tokenExpiresAt) ? remember(ref.id, credentials.accessToken, credentials.tokenExpiresAt) : refresh(ref, credentials.accessToken);
  }

  function refresh(ref: IntegrationRef, failed: string): Promise<string> {
    if (cache.get(ref.id)?.token === failed) cache.delete(ref.id);
    const running = inflight.get(ref.id);
    if (running) return running;
    const promise = refreshUnderLock(ref, failed).finally(() => inflight.delete(ref.id));
    inflight.set(ref.id, promise);
    return promise;
  }

  async function refreshUnderLock(ref: IntegrationRef, failed: string): Promise<string> {
    let rejection: string | undefined;
    const result = await withUser(deps.pool, ref.userId, async (tx) => {
      const integration = await repo(tx).findForUpdate(ref.id);
      if (!integration) throw new ProviderError('auth_revoked', 'The integration no longer exists.');
      if (integration.status === 'needs_reauth') throw new ProviderError('auth_revoked', integration.lastError ?? 'Reconnect this integration.');
      const stored = await repo(tx).readCredentials(ref.id);
      if (stored?.accessToken && stored.accessToken !== failed && isFresh(stored.tokenExpiresAt)) return remember(ref.id, stored.accessToken, stored.tokenExpiresAt);
      if (!stored?.refreshToken) {
        rejection = 'There is no refresh token; reconnect to grant access again.';
        return null;
      }
      try {
        const endpoints = connectionEndpoints(ref.platform, deps.endpoints(ref.platform), integration.connectionConfig);
        const tokens = await refreshTokens(ref.platform, endpoints, stored.refreshToken);
        await repo(tx).saveTokens(ref.id, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt });
        deps.logger.info({ integrationId: ref.id }, 'access token refreshed');
        return remember(ref.id, tokens.accessToken, tokens.expiresAt);
      } catch (error) {
        // Our database going away is not the CRM's failure: the run pauses and resumes (run-through-outages.ts).
        if (isDatabaseUnavailable(error)) throw error;
        if (!(error instanceof OAuthGrantError) || error.kind !== 'invalid_grant') {
          throw new ProviderError('temporary', `Refreshing the access token failed: ${(error as Error).message}`);
        }
        rejection = error.message;
        return null;
      }
    });
    if (result) return result;
    return confirmRejection(ref, failed, rejection!);
  }

  /**
   * A refused refresh only means "reconnect" if nobody replaced the tokens meanwhile (a reconnect, or
   * a refresh outside our lock with a rotating provider). Checked against what is stored now.
   */
  async function confirmRejection(ref: IntegrationRef, failed: string, reason: string): Promise<string> {
    const message = `${deps.endpoints(ref.platform).mode === 'sandbox' ? 'The sandbox' : 'The CRM'} refused to renew access (${reason}). Reconnect the integration to continue syncing.`;
    const marked = await withUser(deps.pool, ref.userId, async (tx) => {
      await repo(tx).findForUpdate(ref.id);
      const stored = await repo(tx).readCredentials(ref.id);
      if (stored?.accessToken && stored.accessToken !== failed && isFresh(stored.tokenExpiresAt)) return stored.accessToken;
      await repo(tx).update(ref.id, { status: 'needs_reauth', lastError: message });
      return null;
    });
    if (marked) return marked;
    deps.logger.warn({ integrationId: ref.id }, 'integration needs re-authorization');
    await deps.publish(ref.userId, { type: 'integration.needs_reauth', integrationId: ref.id, message });
    throw new ProviderError('auth_revoked', message);
  }

  return {
    /** A token source bound to one integration, for the HTTP client. */
    source(ref: IntegrationRef): TokenSource {
      return { token: () => token(ref), refresh: (failed) => refresh(ref, failed) };
    },
    /** Drops the remembered token, so the next request reads the grant as stored now (after a reconnect). */
    forget(integrationId: string): void {
      cache.delete(integrationId);
    },
  };
}

export type TokenManager = ReturnType<typeof createTokenManager>;
