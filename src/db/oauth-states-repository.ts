import type { Display } from '../crm/oauth-begin.js';
import type { PlatformId } from '../crm/platforms.js';
import type { Tx } from './tenant.js';

/**
 * oauth_states: one row per Connect, keyed by the SHA-256 of the state (the state itself is never
 * stored). Created as the user; begun and consumed as the system role, because the browser's begin
 * and the CRM's callback arrive without the user's bearer token and the state names the user.
 */
export interface NewOAuthState {
  stateHash: string;
  userId: string;
  platform: PlatformId;
  /** The PKCE verifier, already sealed to this state (oauth-binding.ts verifierPlace). */
  sealedVerifier: string | null;
  scopes: string[];
  redirectUri: string;
  integrationId: string | null;
  returnTo: string | null;
  appOrigin: string;
  /** The sign-in host the person chose (already checked against the CRM's allowlist); null: the default. */
  loginHost?: string | null;
  expiresAt: Date;
}

export interface BegunState {
  platform: PlatformId;
  scopes: string[];
  redirectUri: string;
  sealedVerifier: string | null;
  loginHost: string | null;
  secondsLeft: number;
}

export interface ConsumedState {
  userId: string;
  platform: PlatformId;
  sealedVerifier: string | null;
  redirectUri: string;
  integrationId: string | null;
  returnTo: string | null;
  appOrigin: string | null;
  display: Display | null;
  browserHash: string | null;
  loginHost: string | null;
}

export function oauthStatesRepository(tx: Tx) {
  return {
    async insert(state: NewOAuthState): Promise<void> {
      await tx.query(
        `INSERT INTO oauth_states (state_hash, user_id, platform, code_verifier, scopes, redirect_uri, integration_id, return_to, app_origin, expires_at, login_host)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [state.stateHash, state.userId, state.platform, state.sealedVerifier, state.scopes, state.redirectUri,
          state.integrationId, state.returnTo, state.appOrigin, state.expiresAt, state.loginHost ?? null],
      );
    },

    /** Binds the browser that begins the flow. One statement: a state begins once, from its own origin, before it expires. */
    async begin(stateHash: string, origin: string, browserHash: string, display: Display): Promise<BegunState | null> {
      const { rows } = await tx.query(
        `UPDATE oauth_states SET browser_hash = $2, display = $3, bound_at = now()
         WHERE state_hash = $1 AND app_origin = $4 AND bound_at IS NULL AND used_at IS NULL AND expires_at > now()
         RETURNING platform, scopes, redirect_uri, code_verifier, login_host, extract(epoch FROM expires_at - now())::float8 AS seconds_left`,
        [stateHash, browserHash, display, origin],
      );
      const row = rows[0];
      return row ? { platform: row.platform, scopes: row.scopes, redirectUri: row.redirect_uri, sealedVerifier: row.code_verifier, loginHost: row.login_host, secondsLeft: row.seconds_left } : null;
    },

    /** Marks the state used (once, under a row lock) and returns it, or says why it cannot be used. */
    async consume(stateHash: string): Promise<ConsumedState | 'unknown_state' | 'replayed_state' | 'expired_state'> {
      const { rows } = await tx.query(
        `SELECT user_id, platform, code_verifier, redirect_uri, integration_id, return_to, app_origin, display, browser_hash, login_host,
                used_at, expires_at < now() AS expired
         FROM oauth_states WHERE state_hash = $1 FOR UPDATE`,
        [stateHash],
      );
      const row = rows[0];
      if (!row) return 'unknown_state';
      if (row.used_at) return 'replayed_state';
      await tx.query('UPDATE oauth_states SET used_at = now() WHERE state_hash = $1', [stateHash]);
      if (row.expired) return 'expired_state';
      return {
        userId: row.user_id, platform: row.platform, sealedVerifier: row.code_verifier, redirectUri: row.redirect_uri, integrationId: row.integration_id,
        returnTo: row.return_to, appOrigin: row.app_origin, display: row.display, browserHash: row.browser_hash, loginHost: row.login_host,
      };
    },

    /** States live 10 minutes; a day of them is kept so a late callback hears "already used", not "unknown". */
    async deleteStale(): Promise<void> {
      await tx.query(`DELETE FROM oauth_states WHERE expires_at < now() - interval '1 day'`);
    },
  };
}
