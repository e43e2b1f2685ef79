import type { FastifyInstance } from 'fastify';
import { associationTarget, eventKey, hubspotWebhookDelivery, verifyV3Signature } from '../../crm/hubspot/webhooks.js';
import { asSystem } from '../../db/tenant.js';
import type { AppContext } from '../context.js';
import { sendError } from '../errors.js';

/**
 * POST /crm/webhooks/hubspot: HubSpot's pushed events, verified by signature, recorded for the next
 * sync (association changes do not move a record's modified time, so only a webhook reveals them).
 * The events name a portal, not a user: every integration of that portal gets them.
 */
export function webhookRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    // The signature covers the exact bytes sent: keep the body as a string until it is verified.
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_request, body, done) => done(null, body));

    app.post('/crm/webhooks/hubspot', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
      // Without an app secret no signature can be checked (anyone could compute one over '').
      if (ctx.endpoints('hubspot').mode === 'missing') return reply.status(404).send(sendError('not_found', 'HubSpot is not configured on this server.'));
      const body = request.body as string;
      const valid = verifyV3Signature({
        secret: ctx.endpoints('hubspot').clientSecret,
        method: 'POST',
        uri: `${ctx.config.publicUrl}${request.url}`,
        body,
        timestamp: request.headers['x-hubspot-request-timestamp'] as string | undefined,
        signature: request.headers['x-hubspot-signature-v3'] as string | undefined,
      });
      if (!valid) return reply.status(401).send(sendError('unauthorized', 'The webhook signature or timestamp is not valid.'));
      // PostgreSQL's jsonb cannot hold NUL; no real event carries one.
      const parsed = body.includes('\\u0000') ? undefined : hubspotWebhookDelivery.safeParse(parseJson(body));
      if (!parsed?.success) {
        const problem = parsed?.error.issues[0];
        const where = problem ? `${problem.path.join('.') || 'body'}: ${problem.message}` : 'NUL characters are not accepted';
        return reply.status(400).send(sendError('validation_failed', `The webhook body must be a JSON array of HubSpot events (${where}).`));
      }
      const changes = parsed.data.flatMap((event) => {
        const target = associationTarget(event);
        return target ? [{ portal: String(event.portalId), key: eventKey(event), ...target, payload: event }] : [];
      });
      if (changes.length > 0) {
        await asSystem(ctx.db.pool, (tx) => tx.query(
          `INSERT INTO crm_webhook_events (integration_id, user_id, kind, object, remote_id, payload, event_key)
           SELECT i.id, i.user_id, 'association_change', c.object, c.remote_id, c.payload, c.event_key
           FROM jsonb_to_recordset($1::jsonb) AS c(portal text, object text, remote_id text, payload jsonb, event_key text)
           JOIN crm_integrations i ON i.platform = 'hubspot' AND i.external_account_id = c.portal
           ON CONFLICT (integration_id, event_key) DO NOTHING`,
          [JSON.stringify(changes.map((c) => ({ portal: c.portal, object: c.object, remote_id: c.remoteId, payload: c.payload, event_key: c.key })))],
        ));
      }
      return reply.status(204).send();
    });
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
