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

    /**
     * What a delivery to this subscription is checked against: the secret it must carry, and the CRM
     * account its connection is for (the only account it may speak for); null for an unknown id or another CRM's.
     */
    async deliveryCheckOf(id: string, platform: PlatformId): Promise<{ secret: string; accountId: string | null } | null> {
      const { rows } = await tx.query(
        `SELECT s.secret, i.external_account_id FROM crm_webhook_subscriptions s JOIN crm_integrations i ON i.id = s.integration_id
         WHERE s.id = $1 AND s.platform = $2`,
        [id, platform],
      );
      return rows[0] ? { secret: decryptSecret(keys, rows[0].secret, place(id)), accountId: rows[0].external_account_id } : null;
    },

    /** The secret of the integration's subscription, for its owner (an address that holds it is shown to them). */
    async secretOfIntegration(integrationId: string): Promise<{ id: string; secret: string } | null> {
      const { rows } = await tx.query('SELECT id, secret FROM crm_webhook_subscriptions WHERE integration_id = $1', [integrationId]);
      return rows[0] ? { id: rows[0].id, secret: decryptSecret(keys, rows[0].secret, place(rows[0].id)) } : null;
    },

    async remove(id: string): Promise<void> {
      await tx.query('DELETE FROM crm_webhook_subscriptions WHERE id = $1', [id]);
    },
  };
}
