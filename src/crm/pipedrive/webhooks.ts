import { parseDelivery, sameSecret } from '../webhook-input.js';
import { z } from 'zod';
import { WEBHOOK_USER, type WebhookEvent, type WebhookReceiver } from '../connector-module.js';

export { WEBHOOK_USER };
import type { ObjectType } from '../platforms.js';
import { pipedriveObjects } from './spec.js';

/**
 * Pipedrive webhooks v2: one event per POST, `{ meta, data, previous }`. Pipedrive signs nothing; a
 * subscription carries HTTP Basic credentials that every delivery repeats: user `pulse` and a secret
 * generated when the connection registered its webhooks (subscriptions.ts), stored sealed; a delivery
 * without them, or to a URL that names no subscription, is refused.
 * What the engine takes: `create` and `change` as records to read by id (connector.ts readRecords;
 * `data` is not trusted as the record: a later read is what counts, and redeliveries may arrive
 * out of order), `delete` as deletions: of persons and organizations no listing shows them (deals
 * have `status=deleted`, but their delete events are taken too: sooner is better). Pipedrive has no
 * restore action: an undeleted record comes as `change`, and a merge as a `delete` of the merged
 * record (with `merged_to_id`) and a `change` of the one kept. `meta.id` names the event and stays
 * the same on every retry (only `meta.attempt` rises), so it is the event's key.
 * https://pipedrive.readme.io/docs/guide-for-webhooks-v2
 */
const idText = z.union([z.string().regex(/^\d{1,20}$/), z.number().int().nonnegative()]).transform(String);
export const pipedriveWebhookEvent = z.looseObject({
  meta: z.looseObject({
    action: z.string().max(20),
    entity: z.string().max(40),
    entity_id: idText,
    company_id: idText,
    id: z.string().min(1).max(100),
  }),
  data: z.unknown().optional(),
  previous: z.unknown().optional(),
});

const kindOf: Record<string, WebhookEvent['kind']> = { create: 'change', change: 'change', delete: 'deletion' };

const objectOf = (entity: string): ObjectType | undefined =>
  (Object.entries(pipedriveObjects) as [ObjectType, { entity: string }][]).find(([, spec]) => spec.entity === entity)?.[0];

export const pipedriveWebhooks: WebhookReceiver = {
  verify({ subscriptionSecret, headers }) {
    const header = headers.authorization;
    const given = typeof header === 'string' ? /^Basic\s+(\S+)$/i.exec(header)?.[1] : undefined;
    if (!given || !subscriptionSecret) return false;
    return sameSecret(given, Buffer.from(`${WEBHOOK_USER}:${subscriptionSecret}`).toString('base64'));
  },

  parse(body) {
    const parsed = parseDelivery(body, pipedriveWebhookEvent);
    if (!parsed.ok) return parsed;
    const { meta } = parsed.data;
    const object = objectOf(meta.entity);
    const kind = kindOf[meta.action];
    if (!kind || !object) return { ok: true, events: [] };
    // Only `meta` is kept: the record itself is read again by id, and `data` may carry personal data.
    const event: WebhookEvent = { accountId: meta.company_id, kind, object, remoteId: meta.entity_id, key: meta.id, payload: { meta } };
    return { ok: true, events: [event] };
  },
};
