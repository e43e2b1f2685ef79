import { randomUUID } from 'node:crypto';
import type { ConnectionConfig } from '../crm/connection-config.js';
import type { PlatformId } from '../crm/platforms.js';
import { decryptSecret, encryptSecret, type KeyRing } from '../lib/secrets.js';
import type { SyncStatus, SyncType } from './sync-logs-repository.js';
import type { Tx } from './tenant.js';

/**
 * crm_integrations, as the app sees it. Rows map to camelCase objects here and only here; tokens go
 * in encrypted and come out only through `readCredentials`, never with the public shape.
 */
export type IntegrationStatus = 'connected' | 'needs_reauth' | 'error' | 'disabled';

/**
 * The last connection test's verdict when it failed (null when it passed): "reconnect" when the user
 * can fix it (a permission missing from the grant, a revoked grant), "retry" when the CRM is down or
 * rate-limiting and a later test will pass without any change.
 */
export interface ConnectionProblem {
  kind: 'reconnect' | 'retry';
  message: string;
  checkedAt: string;
}

export interface IntegrationSettings {
  sync_interval_minutes?: number;
  [key: string]: unknown;
}

export interface Integration {
  id: string;
  userId: string;
  platform: PlatformId;
  displayName: string | null;
  status: IntegrationStatus;
  isActive: boolean;
  syncEnabled: boolean;
  externalAccountId: string | null;
  grantedScopes: string[];
  tokenExpiresAt: string | null;
  lastSyncAt: string | null;
  lastError: string | null;
  settings: IntegrationSettings;
  connectionProblem: ConnectionProblem | null;
  /** Where the account lives, for CRMs that tell at token time (see connection-config.ts); {} otherwise. */
  connectionConfig: ConnectionConfig;
  /** When a run an outage cut short is tried again by itself (null: none pending). */
  retryAt: string | null;
  /** Runs in a row an outage cut short (sets the next wait; see src/sync/outage-retry.ts). */
  outageRetries: number;
  /** Since when the run going now has been mostly waiting for the CRM account's rate limit (null: it is not, or none runs). */
  rateLimitedSince: string | null;
  /** Changes the CRM pushes (webhooks): whether they arrive, and the last one (realtimeState in integrations-repository.ts). */
  realtime: { state: RealtimeState; lastPushAt: string | null };
  createdAt: string;
  updatedAt: string;
}

/** An integration and how its latest sync run went (null when it never ran). */
export interface IntegrationOverview {
  id: string;
  platform: PlatformId;
  /** The display name, '' when it has none. */
  name: string;
  status: IntegrationStatus;
  syncEnabled: boolean;
  lastSync: { status: SyncStatus; syncType: SyncType; recordsSynced: number; startedAt: string; durationMs: number | null } | null;
  /** When a run an outage cut short is tried again (null: none pending). */
  retryAt: string | null;
  /** Since when the run going now has been mostly waiting for the CRM account's rate limit (null: it is not). */
  rateLimitedSince: string | null;
}

export interface Credentials {
  accessToken: string | null;
  refreshToken: string | null;
  apiKey: string | null;
  tokenExpiresAt: Date | null;
}

const columns = `id, user_id, platform, display_name, status, is_active, sync_enabled, external_account_id,
  granted_scopes, token_expires_at, last_sync_at, last_error, settings, connection_check, connection_config, outage_retry_at, outage_retries,
  pushed_at, pushes_missed_at,
  (SELECT l.rate_limited_since FROM crm_sync_logs l WHERE l.integration_id = crm_integrations.id AND l.status = 'running') AS rate_limited_since,
  created_at, updated_at`;

/**
 * Real-time updates of an integration, from the changes its CRM pushes (webhooks, applied within
 * seconds by webhook runs): `off` until the first push arrives; `on` while pushes arrive and the
 * scheduled listings find nothing they did not announce, the listing then being only the safety net
 * (every PULSE_REALTIME_POLL_MINUTES, dueForSync); `degraded` from a listing that found such a change
 * (webhook-events-repository.ts, listingFoundUnpushedChanges) until the next push, listing at the
 * integration's own interval meanwhile. Nothing is lost either way: the listing guarantees
 * completeness, pushes only bring changes sooner.
 */
export type RealtimeState = 'off' | 'on' | 'degraded';

export function realtimeState(pushedAt: string | null, missedAt: string | null): RealtimeState {
  if (!pushedAt) return 'off';
  return missedAt && missedAt >= pushedAt ? 'degraded' : 'on';
}

type Row = Record<string, any>;

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function toIntegration(row: Row): Integration {
  return {
    id: row.id,
    userId: row.user_id,
    platform: row.platform,
    displayName: row.display_name,
    status: row.status,
    isActive: row.is_active,
    syncEnabled: row.sync_enabled,
    externalAccountId: row.external_account_id,
    grantedScopes: row.granted_scopes,
    tokenExpiresAt: iso(row.token_expires_at),
    lastSyncAt: iso(row.last_sync_at),
    lastError: row.last_error,
    settings: row.settings,
    connectionProblem: row.connection_check ?? null,
    connectionConfig: row.connection_config ?? {},
    retryAt: iso(row.outage_retry_at),
    outageRetries: row.outage_retries,
    rateLimitedSince: iso(row.rate_limited_since),
    realtime: { state: realtimeState(iso(row.pushed_at), iso(row.pushes_missed_at)), lastPushAt: iso(row.pushed_at) },
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

export interface NewIntegration {
  platform: PlatformId;
  displayName?: string | null;
  externalAccountId?: string | null;
  grantedScopes?: string[];
  accessToken?: string | null;
  refreshToken?: string | null;
  apiKey?: string | null;
  tokenExpiresAt?: Date | null;
  settings?: IntegrationSettings;
  connectionConfig?: ConnectionConfig;
}

/** A (re)connection's outcome on an existing integration. */
export interface Reconnection {
  grantedScopes: string[];
  externalAccountId: string;
  connectionConfig: ConnectionConfig;
}

export interface IntegrationChanges {
  displayName?: string | null;
  syncEnabled?: boolean;
  isActive?: boolean;
  status?: IntegrationStatus;
  lastError?: string | null;
  lastSyncAt?: Date;
  settings?: IntegrationSettings;
}

type SecretColumn = 'access_token' | 'refresh_token' | 'api_key';

export function integrationsRepository(tx: Tx, keys: KeyRing) {
  // Each token is sealed to its row and column (see secrets.ts): a copied ciphertext opens nowhere else.
  const place = (id: string, column: SecretColumn) => ({ table: 'crm_integrations', column, row: id });
  const seal = (id: string, column: SecretColumn, value: string | null | undefined) => (value ? encryptSecret(keys, value, place(id, column)) : null);
  const open = (id: string, column: SecretColumn, value: string | null) => (value ? decryptSecret(keys, value, place(id, column)) : null);

  return {
    async list(): Promise<Integration[]> {
      const { rows } = await tx.query(`SELECT ${columns} FROM crm_integrations ORDER BY created_at DESC, id`);
      return rows.map(toIntegration);
    },

    async find(id: string): Promise<Integration | null> {
      const { rows } = await tx.query(`SELECT ${columns} FROM crm_integrations WHERE id = $1`, [id]);
      return rows[0] ? toIntegration(rows[0]) : null;
    },

    /** Locks the row for the rest of the transaction (token refresh, sync start). */
    async findForUpdate(id: string): Promise<Integration | null> {
      const { rows } = await tx.query(`SELECT ${columns} FROM crm_integrations WHERE id = $1 FOR UPDATE`, [id]);
      return rows[0] ? toIntegration(rows[0]) : null;
    },

    async create(input: NewIntegration): Promise<Integration> {
      // The id is chosen here, not by the database, because the tokens are sealed to it.
      const id = randomUUID();
      const { rows } = await tx.query(
        `INSERT INTO crm_integrations (id, platform, display_name, external_account_id, granted_scopes,
           access_token, refresh_token, api_key, token_expires_at, settings, connection_config)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${columns}`,
        [id, input.platform, input.displayName ?? null, input.externalAccountId ?? null, input.grantedScopes ?? [],
          seal(id, 'access_token', input.accessToken), seal(id, 'refresh_token', input.refreshToken), seal(id, 'api_key', input.apiKey),
          input.tokenExpiresAt ?? null, input.settings ?? {}, input.connectionConfig ?? {}],
      );
      return toIntegration(rows[0]);
    },

    async update(id: string, changes: IntegrationChanges): Promise<Integration | null> {
      const { rows } = await tx.query(
        `UPDATE crm_integrations SET
           display_name = CASE WHEN $2 THEN $3 ELSE display_name END,
           sync_enabled = coalesce($4, sync_enabled),
           is_active = coalesce($5, is_active),
           status = coalesce($6, status),
           last_error = CASE WHEN $7 THEN $8 ELSE last_error END,
           last_sync_at = coalesce($9, last_sync_at),
           settings = settings || coalesce($10, '{}'::jsonb)
         WHERE id = $1 RETURNING ${columns}`,
        [id, 'displayName' in changes, changes.displayName ?? null, changes.syncEnabled ?? null, changes.isActive ?? null,
          changes.status ?? null, 'lastError' in changes, changes.lastError ?? null, changes.lastSyncAt ?? null, changes.settings ?? null],
      );
      return rows[0] ? toIntegration(rows[0]) : null;
    },

    /**
     * Enabled, connected integrations with no run running whose last run started longer ago than their
     * interval (default `defaultMinutes`), or whose outage retry is due and not yet started: every
     * user's, so run as the system role. A retry fires once; the run it starts sets the next one.
     */
    /**
     * Integrations due their scheduled listing: every `sync_interval_minutes` (default `defaultMinutes`),
     * or, while their real-time updates are on, only every `realtimeMinutes` (the listing is then the safety net).
     */
    async dueForSync(defaultMinutes: number, realtimeMinutes = defaultMinutes): Promise<{ id: string; userId: string }[]> {
      const { rows } = await tx.query(
        `SELECT i.id, i.user_id FROM crm_integrations i
         WHERE i.sync_enabled AND i.is_active AND i.status = 'connected'
           AND NOT EXISTS (SELECT 1 FROM crm_sync_logs l WHERE l.integration_id = i.id AND l.status = 'running')
           AND (
             (i.outage_retry_at <= now()
               AND NOT EXISTS (SELECT 1 FROM crm_sync_logs l WHERE l.integration_id = i.id AND l.started_at >= i.outage_retry_at))
             OR NOT EXISTS (
               -- Webhook runs read what was pushed; they are no substitute for the scheduled listing.
               SELECT 1 FROM crm_sync_logs l WHERE l.integration_id = i.id AND l.sync_type <> 'webhook'
                 AND l.started_at > now() - make_interval(mins => CASE
                   WHEN i.pushed_at IS NOT NULL AND (i.pushes_missed_at IS NULL OR i.pushes_missed_at < i.pushed_at)
                     THEN greatest(coalesce((i.settings->>'sync_interval_minutes')::int, $1), $2)
                   ELSE coalesce((i.settings->>'sync_interval_minutes')::int, $1) END)))`,
        [defaultMinutes, realtimeMinutes],
      );
      return rows.map((row) => ({ id: row.id, userId: row.user_id }));
    },

    /** A listing found changes no push announced: real-time updates are degraded until the next push. */
    async notePushesMissed(id: string): Promise<void> {
      await tx.query('UPDATE crm_integrations SET pushes_missed_at = now() WHERE id = $1 AND pushed_at IS NOT NULL', [id]);
    },

    /** A run the CRM's outage cut short: try again at `at`, one more outage in a row. */
    async scheduleOutageRetry(id: string, at: Date): Promise<void> {
      await tx.query('UPDATE crm_integrations SET outage_retry_at = $2, outage_retries = outage_retries + 1 WHERE id = $1', [id, at]);
    },

    /** Integrations waiting for an outage retry, every user's (run as the system role): a metric. */
    async countPendingOutageRetries(): Promise<number> {
      const { rows } = await tx.query('SELECT count(*)::int AS n FROM crm_integrations WHERE outage_retry_at IS NOT NULL');
      return rows[0].n;
    },

    /** A run reached the CRM (or failed for a reason time does not fix): no retry pending, the waits start short again. */
    async clearOutageRetry(id: string): Promise<void> {
      await tx.query(
        'UPDATE crm_integrations SET outage_retry_at = NULL, outage_retries = 0 WHERE id = $1 AND (outage_retry_at IS NOT NULL OR outage_retries <> 0)', [id]);
    },

    /**
     * Whose integration this is, and its name, for work started outside a request (the CLI's sync runs
     * as the system role and needs the owner to act for). Two columns, not `find`: no settings, no checks.
     */
    async owner(id: string): Promise<{ userId: string; displayName: string | null } | null> {
      const { rows } = await tx.query<{ user_id: string; display_name: string | null }>(
        'SELECT user_id, display_name FROM crm_integrations WHERE id = $1', [id]);
      return rows[0] ? { userId: rows[0].user_id, displayName: rows[0].display_name } : null;
    },

    /**
     * Every visible integration with its latest run (null if it never ran), oldest first: the CLI's
     * `status` table. One statement (a lateral join), not a `find` per integration.
     */
    async overview(): Promise<IntegrationOverview[]> {
      const { rows } = await tx.query(
        `SELECT i.id, i.platform, coalesce(i.display_name, '') AS name, i.status, i.sync_enabled,
              l.status AS last_status, l.sync_type, l.records_synced, l.started_at, l.duration_ms, i.outage_retry_at,
              CASE WHEN l.status = 'running' THEN l.rate_limited_since END AS rate_limited_since
       FROM crm_integrations i
       LEFT JOIN LATERAL (SELECT * FROM crm_sync_logs WHERE integration_id = i.id ORDER BY started_at DESC LIMIT 1) l ON true
       ORDER BY i.created_at`,
      );
      return rows.map((row) => ({
        id: row.id,
        platform: row.platform,
        name: row.name,
        status: row.status,
        syncEnabled: row.sync_enabled,
        lastSync: row.started_at
          ? { status: row.last_status, syncType: row.sync_type, recordsSynced: row.records_synced, startedAt: row.started_at.toISOString(), durationMs: row.duration_ms }
          : null,
        retryAt: iso(row.outage_retry_at),
        rateLimitedSince: iso(row.rate_limited_since),
      }));
    },

    /** The user's integration with this CRM account, if any (a connect to the same account reconnects it). */
    async idByAccount(platform: PlatformId, externalAccountId: string): Promise<string | null> {
      const { rows } = await tx.query('SELECT id FROM crm_integrations WHERE platform = $1 AND external_account_id = $2', [platform, externalAccountId]);
      return rows[0]?.id ?? null;
    },

    /** A new grant on an existing integration: connected again, with what this grant holds. */
    async markConnected(id: string, connection: Reconnection): Promise<void> {
      await tx.query(
        `UPDATE crm_integrations SET status = 'connected', last_error = NULL, is_active = true, granted_scopes = $2, external_account_id = $3, connection_config = $4
         WHERE id = $1`,
        [id, connection.grantedScopes, connection.externalAccountId, connection.connectionConfig],
      );
    },

    /** Records the connection test's verdict: a problem to show, or null once a test passes. */
    async recordConnectionCheck(id: string, problem: ConnectionProblem | null): Promise<void> {
      await tx.query('UPDATE crm_integrations SET connection_check = $2 WHERE id = $1', [id, problem]);
    },

    async remove(id: string): Promise<boolean> {
      const { rowCount } = await tx.query('DELETE FROM crm_integrations WHERE id = $1', [id]);
      return rowCount === 1;
    },

    async readCredentials(id: string): Promise<Credentials | null> {
      const { rows } = await tx.query('SELECT access_token, refresh_token, api_key, token_expires_at FROM crm_integrations WHERE id = $1', [id]);
      const row = rows[0];
      if (!row) return null;
      return {
        accessToken: open(id, 'access_token', row.access_token),
        refreshToken: open(id, 'refresh_token', row.refresh_token),
        apiKey: open(id, 'api_key', row.api_key),
        tokenExpiresAt: row.token_expires_at,
      };
    },

    async saveTokens(id: string, tokens: { accessToken: string; refreshToken?: string | null; expiresAt: Date | null }): Promise<void> {
      await tx.query(
        `UPDATE crm_integrations SET access_token = $2, refresh_token = coalesce($3, refresh_token), token_expires_at = $4,
           token_refresh_claim = NULL, token_refresh_claimed_until = NULL
         WHERE id = $1`,
        [id, seal(id, 'access_token', tokens.accessToken), seal(id, 'refresh_token', tokens.refreshToken), tokens.expiresAt],
      );
    },

    /**
     * Claims the right to spend the stored refresh token for `ms` (see src/crm/tokens.ts); false while
     * another claim is live. Saving tokens or `releaseTokenRefresh` ends the claim; so does time.
     */
    async claimTokenRefresh(id: string, claim: string, ms: number): Promise<boolean> {
      const { rowCount } = await tx.query(
        `UPDATE crm_integrations SET token_refresh_claim = $2, token_refresh_claimed_until = now() + make_interval(secs => $3::float8 / 1000)
         WHERE id = $1 AND (token_refresh_claimed_until IS NULL OR token_refresh_claimed_until <= now())`,
        [id, claim, ms],
      );
      return rowCount === 1;
    },

    /** Ends this claim, if it is still the one held (a refresh that failed without new tokens). */
    async releaseTokenRefresh(id: string, claim: string): Promise<void> {
      await tx.query('UPDATE crm_integrations SET token_refresh_claim = NULL, token_refresh_claimed_until = NULL WHERE id = $1 AND token_refresh_claim = $2', [id, claim]);
    },
  };
}
