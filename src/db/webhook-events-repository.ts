import type { WebhookEvent } from '../crm/connector-module.js';
import { objectTypes, type ObjectType, type PlatformId } from '../crm/platforms.js';
import { recordTables } from '../sync/record-tables.js';
import type { Tx } from './tenant.js';

/**
 * crm_webhook_events: changes a CRM pushed, kept until a sync applies them. A delivery names a CRM
 * account, not a user, so recording runs as the system role and fans out to every integration of
 * that account; a redelivered event (same key) is stored once.
 */
export function webhookEventsRepository(tx: Tx) {
  /** Events of one kind not yet applied to one object's records, oldest first. */
  async function pending(integrationId: string, kind: WebhookEvent['kind'], object: ObjectType, limit: number): Promise<{ id: string; remoteId: string }[]> {
    if (limit <= 0) return [];
    const { rows } = await tx.query<{ id: string; remote_id: string }>(
      `SELECT id, remote_id FROM crm_webhook_events
       WHERE integration_id = $1 AND kind = $2 AND object = $3 AND processed_at IS NULL ORDER BY id LIMIT $4`,
      [integrationId, kind, object, limit],
    );
    return rows.map((row) => ({ id: row.id, remoteId: row.remote_id }));
  }

  return {
    async record(platform: PlatformId, events: WebhookEvent[]): Promise<void> {
      if (events.length === 0) return;
      // The integrations it reached note the push: their real-time updates work (realtimeState in integrations-repository.ts).
      await tx.query(
        `WITH stored AS (
           INSERT INTO crm_webhook_events (integration_id, user_id, kind, object, remote_id, payload, event_key)
           SELECT i.id, i.user_id, e.kind, e.object, e.remote_id, e.payload, e.event_key
           FROM jsonb_to_recordset($2::jsonb) AS e(account text, kind text, object text, remote_id text, payload jsonb, event_key text)
           JOIN crm_integrations i ON i.platform = $1 AND i.external_account_id = e.account
           ON CONFLICT (integration_id, event_key) DO NOTHING
           RETURNING integration_id)
         UPDATE crm_integrations SET pushed_at = now() WHERE id IN (SELECT integration_id FROM stored)`,
        [platform, JSON.stringify(events.map((e) => ({ account: e.accountId, kind: e.kind, object: e.object, remote_id: e.remoteId, payload: e.payload, event_key: e.key })))],
      );
    },

    /** Association changes not yet applied to one object's records, oldest first. */
    pendingAssociationChanges(integrationId: string, object: ObjectType, limit: number): Promise<{ id: string; remoteId: string }[]> {
      return pending(integrationId, 'association_change', object, limit);
    },

    /** Records a CRM said were created or changed, not yet read, oldest first. */
    pendingChanges(integrationId: string, object: ObjectType, limit: number): Promise<{ id: string; remoteId: string }[]> {
      return pending(integrationId, 'change', object, limit);
    },

    /** Change events a listing has covered: it started after they arrived, so it saw what they announced. */
    async markChangesListed(integrationId: string, object: ObjectType, listingStartedAt: string): Promise<void> {
      await tx.query(
        `UPDATE crm_webhook_events SET processed_at = now()
         WHERE integration_id = $1 AND kind = 'change' AND object = $2 AND processed_at IS NULL AND received_at < $3`,
        [integrationId, object, listingStartedAt],
      );
    },

    /**
     * Integrations with pushed events waiting at least `settleMs` (so a burst is taken as one run), that
     * are connected, listed in full once (before that, the first full listing covers everything) and
     * not syncing now (a run going may have listed past them; the next one takes them).
     */
    async dueForWebhookRuns(settleMs: number): Promise<{ integrationId: string; userId: string }[]> {
      const { rows } = await tx.query<{ integration_id: string; user_id: string }>(
        `SELECT e.integration_id, min(e.user_id::text)::uuid AS user_id FROM crm_webhook_events e
         JOIN crm_integrations i ON i.id = e.integration_id AND i.status = 'connected' AND i.sync_enabled
         WHERE e.processed_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM crm_sync_logs l WHERE l.integration_id = e.integration_id AND l.status = 'running')
           AND (SELECT count(*) FROM crm_sync_state s WHERE s.integration_id = e.integration_id AND s.phase = 'incremental') = $2
         GROUP BY e.integration_id
         HAVING min(e.received_at) <= now() - make_interval(secs => $1::float8 / 1000)`,
        [settleMs, objectTypes.length],
      );
      return rows.map((row) => ({ integrationId: row.integration_id, userId: row.user_id }));
    },

    /**
     * Whether a listing run that started at `runStartedAt` had to change records for which no push
     * arrived since `pushedSince` (the previous listing, with its overlap): changes pushes missed,
     * which degrade real-time updates (integrations-repository.ts, realtimeState). The upsert touches
     * `content_changed_at` only when what Pulse reads differs (not for a modified time alone: an edit of
     * a property Pulse neither reads nor subscribed to is no missed push), so records a push already
     * brought are not counted, and a change whose push is still gathering has its event stored already.
     * A push slower than the listing makes this a false alarm, which that push clears. Only kinds of
     * change the CRM pushes count (`pushed`): a deletion or an association change it never pushes has
     * the listing as its one way in, so no push was missed — a deleted row then does not count, nor a
     * row whose CRM modification time did not move (only its associations changed).
     */
    async listingFoundUnpushedChanges(integrationId: string, runStartedAt: string, pushedSince: string, pushed: readonly WebhookEvent['kind'][] = ['change', 'association_change', 'deletion']): Promise<boolean> {
      const only = [
        pushed.includes('deletion') ? '' : ' AND r.deleted_at IS NULL',
        pushed.includes('association_change') ? '' : ' AND r.remote_updated_at >= $3',
      ].join('');
      // updated_at (indexed) is never before content_changed_at: it narrows the scan first.
      const unpushed = objectTypes.map((object) => `EXISTS (SELECT 1 FROM ${recordTables[object].table} r
        WHERE r.integration_id = $1 AND r.updated_at >= $2 AND r.content_changed_at >= $2${only} AND NOT EXISTS (
          SELECT 1 FROM crm_webhook_events e WHERE e.integration_id = $1 AND e.object = '${object}' AND e.remote_id = r.remote_id AND e.received_at >= $3))`);
      const { rows } = await tx.query<{ found: boolean }>(`SELECT ${unpushed.join(' OR ')} AS found`, [integrationId, runStartedAt, pushedSince]);
      return rows[0]!.found;
    },

    /**
     * Whether this integration's CRM pushes deletions: one arrived since its real-time updates last
     * missed something (never missed: ever). Other pushes arriving say nothing of deletions: an app
     * may subscribe to changes only.
     */
    async deletionsPushed(integrationId: string): Promise<boolean> {
      const { rows } = await tx.query<{ pushed: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM crm_webhook_events e JOIN crm_integrations i ON i.id = e.integration_id
           WHERE e.integration_id = $1 AND e.kind = 'deletion' AND e.received_at > coalesce(i.pushes_missed_at, '-infinity')) AS pushed`,
        [integrationId],
      );
      return rows[0]!.pushed;
    },

    /** Deletions pushed for one object's records and not yet applied, oldest first. */
    pendingDeletions(integrationId: string, object: ObjectType, limit: number): Promise<{ id: string; remoteId: string }[]> {
      return pending(integrationId, 'deletion', object, limit);
    },

    async markProcessed(ids: string[]): Promise<void> {
      if (ids.length) await tx.query('UPDATE crm_webhook_events SET processed_at = now() WHERE id = ANY($1::bigint[])', [ids]);
    },
  };
}
