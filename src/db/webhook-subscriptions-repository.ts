import type { PlatformId } from '../crm/platforms.js';
import { decryptSecret, encryptSecret, type KeyRing } from '../lib/secrets.js';
import type { Tx } from './tenant.js';

/**
 * crm_webhook_subscriptions: the webhooks one connection registered with its CRM, and the secret the
 * CRM sends back with each delivery (sealed to its row, like the tokens; out only through `secretOf`).
 */
export interface WebhookSubscription {
  id: string;
  integrationId: string;
  platform: PlatformId;
  remoteIds: string[];
}

export function webhookSubscriptionsRepository(tx: Tx, keys: KeyRing) {
  const place = (id: string) => ({ table: 'crm_webhook_subscriptions', column: 'secret', row: id });
  const toSubscription = (row: Record<string, any>): WebhookSubscription =>
    ({ id: row.id, integrationId: row.integration_id, platform: row.platform, remoteIds: row.remote_ids });

  return {
    /** Replaces the integration's subscription row (a reconnect registers anew). */
    async save(subscription: WebhookSubscription & { userId: string; secret: string }): Promise<void> {
      await tx.query('DELETE FROM crm_webhook_subscriptions WHERE integration_id = $1', [subscription.integrationId]);
      await tx.query(
        `INSERT INTO crm_webhook_subscriptions (id, integration_id, user_id, platform, remote_ids, secret) VALUES ($1, $2, $3, $4, $5, $6)`,
        [subscription.id, subscription.integrationId, subscription.userId, subscription.platform, subscription.remoteIds, encryptSecret(keys, subscription.secret, place(subscription.id))],
      );
    },

    async ofIntegration(integrationId: string): Promise<WebhookSubscription | null> {
      const { rows } = await tx.query('SELECT id, integration_id, platform, remote_ids FROM crm_webhook_subscriptions WHERE integration_id = $1', [integrationId]);
      return rows[0] ? toSubscription(rows[0]) : null;
    },

    /** The secret a delivery to this subscription must carry; null for an unknown id or another CRM's. */
    async secretOf(id: string, platform: PlatformId): Promise<string | null> {
      const { rows } = await tx.query('SELECT secret FROM crm_webhook_subscriptions WHERE id = $1 AND platform = $2', [id, platform]);
      return rows[0] ? decryptSecret(keys, rows[0].secret, place(id)) : null;
    },

    async remove(id: string): Promise<void> {
      await tx.query('DELETE FROM crm_webhook_subscriptions WHERE id = $1', [id]);
    },
  };
}
