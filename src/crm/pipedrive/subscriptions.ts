import { z } from 'zod';
import type { WebhookSubscriptions } from '../connector-module.js';
import { ProviderError } from '../provider-error.js';
import { pipedriveObjects } from './spec.js';

/**
 * Registers a connection's webhooks v2 after connect (`POST /v1/webhooks`, one per object, every
 * action: `create` and `change` start a webhook run that reads those records by id within seconds,
 * `delete` is the only way persons' and organizations' deletions show) and removes them on disconnect. Pipedrive signs
 * nothing; each subscription carries HTTP Basic credentials it repeats on every delivery, a secret
 * generated for this connection (webhooks.ts checks it). At most 40 webhooks per user: we use 3.
 * https://developers.pipedrive.com/docs/api/v1/Webhooks#addWebhook
 */
const created = z.object({ data: z.object({ id: z.union([z.number(), z.string()]).transform(String) }) });

export const pipedriveSubscriptions: WebhookSubscriptions = {
  scope: 'webhooks:full',
  withoutIt: 'Without webhooks, changes reach Pulse only with the next scheduled sync instead of within seconds, and since Pipedrive lists no deleted persons or organizations, their deletions only with the daily full listing (up to 24 hours later). Reconnect and allow "Receive changes as they happen" to have them within seconds.',

  async subscribe({ http }, target) {
    const ids: string[] = [];
    try {
      for (const object of Object.values(pipedriveObjects)) {
        const { data } = await http('POST', '/v1/webhooks', {
          schema: created,
          body: {
            subscription_url: target.url, event_action: '*', event_object: object.entity, version: '2.0',
            name: `Pulse ${object.entity} events`, http_auth_user: target.user, http_auth_password: target.password,
          },
          label: '/v1/webhooks',
        });
        ids.push(data.data.id);
      }
      return ids;
    } catch (error) {
      // Half a registration is removed rather than left behind delivering to a secret nobody stores.
      await pipedriveSubscriptions.unsubscribe({ http } as Parameters<WebhookSubscriptions['unsubscribe']>[0], ids).catch(() => {});
      throw error;
    }
  },

  async unsubscribe({ http }, remoteIds) {
    for (const id of remoteIds) {
      try {
        await http('DELETE', `/v1/webhooks/${encodeURIComponent(id)}`, { label: '/v1/webhooks/{id}' });
      } catch (error) {
        if (!(error instanceof ProviderError && error.code === 'not_found')) throw error;
      }
    }
  },
};
