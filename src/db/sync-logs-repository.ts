import { decodeCursor, encodeCursor, timestampText } from './keyset-cursor.js';
import type { Tx } from './tenant.js';
import type { SyncCounts } from '../events/types.js';

export type { SyncCounts };

/** crm_sync_logs: one row per sync run, kept current while it runs. */
export type SyncStatus = 'success' | 'failed' | 'partial' | 'running';
/** `webhook`: a run that applies what a CRM pushed (webhook-runs.ts), reading changed records by id. */
export type SyncType = 'full' | 'incremental' | 'webhook';

export interface SyncLogError {
  object?: string;
  code: string;
  message: string;
  at?: string;
}

export interface SyncLog {
  id: string;
  integrationId: string;
  syncType: SyncType;
  status: SyncStatus;
  recordsSynced: number;
  contactsSynced: number;
  companiesSynced: number;
  dealsSynced: number;
  errors: SyncLogError[];
  errorMessage: string | null;
  durationMs: number | null;
  /** HTTP requests the run sent to the CRM. */
  requests: number;
  /** Records a full run expects to list (the CRM's count at the start), for progress bars. */
  recordsExpected: number | null;
  startedAt: string;
  completedAt: string | null;
}

const columns = `id, integration_id, sync_type, status, records_synced, contacts_synced, companies_synced, deals_synced,
  errors, error_message, duration_ms, requests, records_expected, started_at, completed_at`;

function toSyncLog(row: Record<string, any>): SyncLog {
  return {
    id: row.id,
    integrationId: row.integration_id,
    syncType: row.sync_type,
    status: row.status,
    recordsSynced: row.records_synced,
    contactsSynced: row.contacts_synced,
    companiesSynced: row.companies_synced,
    dealsSynced: row.deals_synced,
    errors: row.errors,
    errorMessage: row.error_message,
    durationMs: row.duration_ms,
    requests: row.requests,
    recordsExpected: row.records_expected,
    startedAt: row.started_at.toISOString(),
    completedAt: row.completed_at ? row.completed_at.toISOString() : null,
  };
}



export function syncLogsRepository(tx: Tx) {
  return {
    async page(integrationId: string, limit: number, cursor?: string): Promise<{ items: SyncLog[]; nextCursor: string | null } | null> {
      const after = cursor ? decodeCursor(cursor) : null;
      if (cursor && !after) return null;
      const { rows } = await tx.query(
        `SELECT ${columns}, ${timestampText('started_at')} AS cursor_at FROM crm_sync_logs WHERE integration_id = $1
           AND ($2::timestamptz IS NULL OR (started_at, id) < ($2::timestamptz, $3::uuid))
         ORDER BY started_at DESC, id DESC LIMIT $4`,
        [integrationId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
      );
      const items = rows.slice(0, limit).map(toSyncLog);
      const last = rows[limit - 1];
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.cursor_at, last.id) : null };
    },

    async find(id: string): Promise<SyncLog | null> {
      const { rows } = await tx.query(`SELECT ${columns} FROM crm_sync_logs WHERE id = $1`, [id]);
      return rows[0] ? toSyncLog(rows[0]) : null;
    },

    async start(integrationId: string, syncType: SyncType): Promise<SyncLog> {
      const { rows } = await tx.query(
        // clock_timestamp, not the transaction's now(): several runs may start in one transaction.
        `INSERT INTO crm_sync_logs (integration_id, sync_type, status, started_at) VALUES ($1, $2, 'running', clock_timestamp()) RETURNING ${columns}`,
        [integrationId, syncType],
      );
      return toSyncLog(rows[0]);
    },

    /**
     * Opens a running run, or finds the one already running (a unique index allows one per integration,
     * across every process); if that run finishes in between, tries again. A run applying pushed
     * changes is joined only until it seals (`seal`): after that it will not list, so this answers
     * null, and the caller asks again once it has ended (a moment: outside this transaction, which on
     * the embedded database holds its only connection).
     */
    async openOrJoin(integrationId: string, syncType: SyncType): Promise<{ id: string; joined: boolean } | null> {
      for (;;) {
        const { rows } = await tx.query<{ id: string }>(
          `INSERT INTO crm_sync_logs (integration_id, sync_type, status, started_at, heartbeat_at) VALUES ($1, $2, 'running', clock_timestamp(), clock_timestamp())
           ON CONFLICT (integration_id) WHERE status = 'running' DO NOTHING RETURNING id`,
          [integrationId, syncType],
        );
        if (rows[0]) return { id: rows[0].id, joined: false };
        // Joining a run that only applies pushed changes asks for more: it lists too once they are applied (run-sync.ts).
        const running = await tx.query<{ id: string; sealed: boolean }>(
          `UPDATE crm_sync_logs SET sync_type = CASE WHEN sync_type = 'webhook' AND NOT sealed THEN $2 ELSE sync_type END
           WHERE integration_id = $1 AND status = 'running' RETURNING id, sealed`,
          [integrationId, syncType],
        );
        const run = running.rows[0];
        if (run) return run.sealed ? null : { id: run.id, joined: true };
      }
    },

    /**
     * A run applying pushed changes, its changes applied: from now on no request joins it (openOrJoin).
     * Returns what it was asked to be by then: `webhook`, or the type of a sync someone asked for.
     */
    async seal(id: string): Promise<SyncType | null> {
      const { rows } = await tx.query<{ sync_type: SyncType }>('UPDATE crm_sync_logs SET sealed = true WHERE id = $1 RETURNING sync_type', [id]);
      return rows[0]?.sync_type ?? null;
    },

    /** The queue job carrying the run (for handing it back when its worker dies). */
    async setJob(id: string, jobId: string): Promise<void> {
      await tx.query('UPDATE crm_sync_logs SET job_id = $2 WHERE id = $1', [id, jobId]);
    },

    /** Running runs whose worker sent no heartbeat for `timeoutMs` (every user's: run as the system role). */
    async stale(timeoutMs: number): Promise<{ id: string; jobId: string | null; userId: string; integrationId: string; syncType: SyncType }[]> {
      const { rows } = await tx.query(
        `SELECT id, job_id, user_id, integration_id, sync_type FROM crm_sync_logs
         WHERE status = 'running' AND coalesce(heartbeat_at, started_at) < clock_timestamp() - make_interval(secs => $1 / 1000.0)`,
        [timeoutMs],
      );
      return rows.map((row) => ({ id: row.id, jobId: row.job_id, userId: row.user_id, integrationId: row.integration_id, syncType: row.sync_type }));
    },

    async expect(id: string, total: number | null): Promise<void> {
      await tx.query('UPDATE crm_sync_logs SET records_expected = $2 WHERE id = $1', [id, total]);
    },

    /** Takes ownership of a running run for this worker attempt; false if it is not running. */
    async claim(id: string, runToken: string): Promise<boolean> {
      const { rowCount } = await tx.query(
        `UPDATE crm_sync_logs SET run_token = $2, heartbeat_at = clock_timestamp() WHERE id = $1 AND status = 'running'`, [id, runToken]);
      return rowCount === 1;
    },

    /**
     * Records a page's worth of written records, in the transaction that writes them and their
     * checkpoint, so a run's counts always equal the rows it committed, however often it crashed.
     * False when this attempt no longer owns the run: the caller must roll back and stop.
     */
    async addWritten(id: string, runToken: string, object: 'contacts' | 'companies' | 'deals', count: number): Promise<boolean> {
      const column = { contacts: 'contacts_synced', companies: 'companies_synced', deals: 'deals_synced' }[object];
      const { rowCount } = await tx.query(
        `UPDATE crm_sync_logs SET ${column} = ${column} + $3, records_synced = records_synced + $3
         WHERE id = $1 AND status = 'running' AND run_token = $2`,
        [id, runToken, count],
      );
      return rowCount === 1;
    },

    /**
     * The heartbeat of a running sync, with its errors, request count and since when it has been
     * mostly waiting for its rate limit (the record counts are written with the records, by addWritten). False when this attempt no longer owns the run (it
     * was presumed dead and handed to another worker): the caller must stop.
     */
    async heartbeat(id: string, runToken: string, errors: SyncLogError[], requests: number, rateLimitedSince: Date | null = null): Promise<boolean> {
      const { rowCount } = await tx.query(
        `UPDATE crm_sync_logs SET errors = $2, requests = $3, heartbeat_at = clock_timestamp(), rate_limited_since = $5
         WHERE id = $1 AND status = 'running' AND run_token = $4`,
        [id, JSON.stringify(errors), requests, runToken, rateLimitedSince],
      );
      return rowCount === 1;
    },

    /**
     * Takes a run whose heartbeat stopped `timeoutMs` ago for resumption, once across every process
     * that reconciles at the same time (the stale heartbeat is the condition, and it is reset here).
     * Returns how many resumes in a row found no more records than the one before (or, the first
     * time, none at all), and how long the run had gone without a heartbeat (`silentMs`: the time its
     * recovery took); or null if someone else took it first.
     */
    async takeForResume(id: string, timeoutMs: number): Promise<{ stalledResumes: number; resumes: number; silentMs: number } | null> {
      const { rows } = await tx.query(
        // The FROM reads the heartbeat before this statement resets it (RETURNING sees only new values).
        `UPDATE crm_sync_logs l SET resumes = l.resumes + 1, heartbeat_at = clock_timestamp(), rate_limited_since = NULL,
           stalled_resumes = CASE WHEN l.records_synced = coalesce(l.records_at_resume, 0) THEN l.stalled_resumes + 1 ELSE 0 END,
           records_at_resume = l.records_synced
         FROM (SELECT id, coalesce(heartbeat_at, started_at) AS last_beat FROM crm_sync_logs WHERE id = $1) before
         WHERE l.id = before.id AND l.status = 'running' AND coalesce(l.heartbeat_at, l.started_at) < clock_timestamp() - make_interval(secs => $2 / 1000.0)
         RETURNING l.stalled_resumes, l.resumes, round(extract(epoch FROM clock_timestamp() - before.last_beat) * 1000)::int AS silent_ms`,
        [id, timeoutMs],
      );
      return rows[0] ? { stalledResumes: rows[0].stalled_resumes, resumes: rows[0].resumes, silentMs: rows[0].silent_ms } : null;
    },

    /** The run was handed to a live worker `recoveryMs` after its last heartbeat (for /metrics). */
    async recordResume(id: string, recoveryMs: number): Promise<void> {
      await tx.query('UPDATE crm_sync_logs SET recovery_ms = recovery_ms || $2::int WHERE id = $1', [id, recoveryMs]);
    },

    /**
     * Every resume after a dead worker, across users, as how long each recovery took in ms (for
     * /metrics). Resumes are rare, one per crash; this reads them all.
     */
    async recoveryTimes(): Promise<number[]> {
      const { rows } = await tx.query<{ ms: number }>('SELECT ms FROM crm_sync_logs, unnest(recovery_ms) AS ms WHERE recovery_ms <> \'{}\'');
      return rows.map((row) => row.ms);
    },

    /** Running runs by whether they are mostly waiting for their rate limit, across users (for metrics). */
    async countRunningByWait(): Promise<{ running: number; waitingRateLimit: number }> {
      const { rows } = await tx.query<{ running: number; waiting: number }>(
        `SELECT count(*) FILTER (WHERE rate_limited_since IS NULL)::int AS running, count(*) FILTER (WHERE rate_limited_since IS NOT NULL)::int AS waiting
         FROM crm_sync_logs WHERE status = 'running'`);
      return { running: rows[0]!.running, waitingRateLimit: rows[0]!.waiting };
    },

    async fail(id: string, message: string): Promise<void> {
      await tx.query(
        `UPDATE crm_sync_logs SET status = 'failed', error_message = $2, completed_at = clock_timestamp(), rate_limited_since = NULL,
           duration_ms = (extract(epoch FROM clock_timestamp() - started_at) * 1000)::int,
           duration_seconds = extract(epoch FROM clock_timestamp() - started_at)::int
         WHERE id = $1 AND status = 'running'`,
        [id, message],
      );
    },

    /** Closes the run; null when `runToken` is given and no longer owns it. */
    async finish(id: string, status: Exclude<SyncStatus, 'running'>, counts: SyncCounts, errors: SyncLogError[], errorMessage: string | null, requests = 0, runToken: string | null = null): Promise<SyncLog | null> {
      const { rows } = await tx.query(
        `UPDATE crm_sync_logs SET status = $2, contacts_synced = $3, companies_synced = $4, deals_synced = $5,
           records_synced = $3::int + $4::int + $5::int, errors = $6, error_message = $7, requests = $8, completed_at = clock_timestamp(), rate_limited_since = NULL,
           duration_ms = (extract(epoch FROM clock_timestamp() - started_at) * 1000)::int,
           duration_seconds = extract(epoch FROM clock_timestamp() - started_at)::int
         WHERE id = $1 AND ($9::uuid IS NULL OR run_token = $9) RETURNING ${columns}`,
        [id, status, counts.contacts, counts.companies, counts.deals, JSON.stringify(errors), errorMessage, requests, runToken],
      );
      return rows[0] ? toSyncLog(rows[0]) : null;
    },
  };
}
