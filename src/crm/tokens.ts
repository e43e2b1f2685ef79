import { randomUUID } from 'node:crypto';
import { integrationsRepository } from '../db/integrations-repository.js';
import { withUser } from '../db/tenant.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import type { Pool } from 'pg';
import type { PulseEvent } from '../events/types.js';
import type { KeyRing } from '../lib/secrets.js';
import type { Logger } from '../logger.js';
import { connectionEndpoints } from './connection-config.js';
import type { ProviderEndpoints } from './endpoints.js';
import { OAuthGrantError, refreshTokens, type TokenSet } from './oauth.js';
import type { PlatformId } from './platforms.js';
import { ProviderError } from './provider-error.js';

/**
 * Access tokens for an integration, refreshed before they expire and after a 401, exactly once
 * however many requests, jobs and worker processes need a new one at the same moment.
 *
 * CRMs that rotate refresh tokens (Pipedrive, a new one on every refresh, the old one refused from
 * then on) make the answer of the token endpoint the only copy of the grant. So the refresh is done
 * in three steps, none holding a transaction open across the network:
 * 1. a short transaction, under the integration's row lock, claims the refresh for a while (a claim
 *    committed in the row: other processes wait for it instead of spending the same refresh token);
 * 2. the token request, outside any transaction;
 * 3. at once, its own short transaction stores the new pair and ends the claim; if our database is
 *    briefly unreachable the pair is kept in memory and the write retried, never dropped.
 * A process that dies between 1 and 3 leaves a claim that expires by itself. What no client can
 * close is the few milliseconds between the CRM's answer arriving and step 3 committing (see the
 * Pipedrive README). Only a refusal the stored token confirms marks the integration needs_reauth.
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
/**
 * How long a claim to refresh keeps other processes waiting: longer than the token request may take
 * (its timeout is 15 s, oauth.ts), short enough that a process that died holding it delays no one much.
 */
const CLAIM_MS = 20_000;
const CLAIM_POLL_MS = 100;
/** How long a refreshed pair waits in memory for an unreachable database before the run gives up. */
const STORE_RETRY_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What token refresh needs; `publish` tells the user's browsers when a grant needs reconnecting. */
export interface TokenManagerDeps {
  pool: Pool;
  keys: KeyRing;
  logger: Logger;
  endpoints(platform: PlatformId): ProviderEndpoints;
  publish(userId: string, event: PulseEvent): Promise<void>;
  /** Called once a refreshed pair is committed, before it is used: the crash test's kill point. */
  afterTokensStored?(): void;
}

export function createTokenManager(deps: TokenManagerDeps) {
  // Same-process callers share one refresh; the committed claim covers other processes.
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
    const promise = refreshOnce(ref, failed).finally(() => inflight.delete(ref.id));
    inflight.set(ref.id, promise);
    return promise;
  }

  async function refreshOnce(ref: IntegrationRef, failed: string): Promise<string> {
    const claim = randomUUID();
    const waitUntil = Date.now() + 2 * CLAIM_MS;
    for (;;) {
      const step = await claimRefresh(ref, failed, claim);
      if (step.kind === 'have') return step.token;
      if (step.kind === 'rejected') return confirmRejection(ref, failed, step.reason);
      if (step.kind === 'claimed') return exchange(ref, failed, claim, step.refreshToken, step.endpoints);
      // Another process holds the claim: its new token shows up in the row, or its claim runs out.
      if (Date.now() > waitUntil) throw new ProviderError('temporary', 'Another process is still renewing the access token.');
      await sleep(CLAIM_POLL_MS);
    }
  }

  type ClaimStep =
    | { kind: 'have'; token: string }
    | { kind: 'rejected'; reason: string }
    | { kind: 'busy' }
    | { kind: 'claimed'; refreshToken: string; endpoints: ProviderEndpoints };

  /** Step 1: a token someone else already stored, or the claim to refresh (committed when this returns). */
  function claimRefresh(ref: IntegrationRef, failed: string, claim: string): Promise<ClaimStep> {
    return withUser(deps.pool, ref.userId, async (tx): Promise<ClaimStep> => {
      const integration = await repo(tx).findForUpdate(ref.id);
      if (!integration) throw new ProviderError('auth_revoked', 'The integration no longer exists.');
      if (integration.status === 'needs_reauth') throw new ProviderError('auth_revoked', integration.lastError ?? 'Reconnect this integration.');
      const stored = await repo(tx).readCredentials(ref.id);
      if (stored?.accessToken && stored.accessToken !== failed && isFresh(stored.tokenExpiresAt)) return { kind: 'have', token: remember(ref.id, stored.accessToken, stored.tokenExpiresAt) };
      if (!stored?.refreshToken) return { kind: 'rejected', reason: 'There is no refresh token; reconnect to grant access again.' };
      if (!(await repo(tx).claimTokenRefresh(ref.id, claim, CLAIM_MS))) return { kind: 'busy' };
      const endpoints = connectionEndpoints(ref.platform, deps.endpoints(ref.platform), integration.connectionConfig);
      return { kind: 'claimed', refreshToken: stored.refreshToken, endpoints };
    });
  }

  /** Steps 2 and 3: the token request, then the new pair stored before anything else is done. */
  async function exchange(ref: IntegrationRef, failed: string, claim: string, refreshToken: string, endpoints: ProviderEndpoints): Promise<string> {
    let tokens: TokenSet;
    try {
      tokens = await refreshTokens(ref.platform, endpoints, refreshToken);
    } catch (error) {
      await release(ref, claim);
      if (error instanceof OAuthGrantError && error.kind === 'invalid_grant') return confirmRejection(ref, failed, error.message);
      throw new ProviderError('temporary', `Refreshing the access token failed: ${(error as Error).message}`);
    }
    await storeRefreshed(ref, tokens);
    deps.logger.info({ integrationId: ref.id }, 'access token refreshed');
    deps.afterTokensStored?.();
    return remember(ref.id, tokens.accessToken, tokens.expiresAt);
  }

  /**
   * Step 3. The pair just received may be the only valid copy of the grant: a database that is down
   * for a moment (a failover, a restart) is waited for, with the pair in memory, rather than lost.
   */
  async function storeRefreshed(ref: IntegrationRef, tokens: TokenSet): Promise<void> {
    const giveUpAt = Date.now() + STORE_RETRY_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        await withUser(deps.pool, ref.userId, (tx) => repo(tx).saveTokens(ref.id, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt }));
        return;
      } catch (error) {
        if (!isDatabaseUnavailable(error) || Date.now() > giveUpAt) throw error;
        deps.logger.warn({ integrationId: ref.id, attempt }, 'database unavailable while storing a refreshed token; retrying');
        await sleep(Math.min(200 * 2 ** attempt, 2_000));
      }
    }
  }

  /** Ends our claim after a refresh that brought no tokens, so the next one need not wait for it to expire. */
  async function release(ref: IntegrationRef, claim: string): Promise<void> {
    await withUser(deps.pool, ref.userId, (tx) => repo(tx).releaseTokenRefresh(ref.id, claim)).catch((error) => {
      // Our database going away is not the CRM's failure; the claim then simply expires.
      deps.logger.warn({ integrationId: ref.id, err: error }, 'could not release a token refresh claim');
    });
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
