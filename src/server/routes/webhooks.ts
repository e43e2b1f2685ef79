import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { connectorModules } from '../../crm/modules.js';
import { platformIds } from '../../crm/platforms.js';
import { webhookEventsRepository } from '../../db/webhook-events-repository.js';
import { webhookSubscriptionsRepository } from '../../db/webhook-subscriptions-repository.js';
import { asSystem } from '../../db/tenant.js';
import { sendError } from '../errors.js';

/** The media types CRMs deliver in (each receiver says its own; JSON when it says none). */
const deliveryContentTypes = [...new Set(['application/json', ...Object.values(connectorModules).flatMap((module) => module.webhooks?.contentTypes ?? [])])];

/**
 * POST /crm/webhooks/:platform[/:subscription[/:secret]]: a CRM's pushed events, verified by the
 * CRM's own scheme (its module's receiver), recorded for the next sync. The subscription segment is
 * there for CRMs whose webhooks each connection registers (webhook-subscriptions.ts), and the secret
 * segment after it for those whose deliveries carry no credential but the address. Events name a CRM
 * account, not a user: every integration of that account gets them; a delivery to a subscription
 * may speak only for the account its connection is for.
 */
export function webhookRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    // Signatures cover the exact bytes sent: keep the body as a string until it is verified.
    app.addContentTypeParser(deliveryContentTypes, { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_request, body, done) => done(null, body));

    const params = z.object({ platform: z.enum(platformIds), subscription: z.uuid().optional(), secret: z.string().max(200).optional() });
    const receive = async (request: FastifyRequest, reply: FastifyReply) => {
      const parsedParams = params.safeParse(request.params);
      const platform = parsedParams.success ? parsedParams.data.platform : null;
      const module = platform ? connectorModules[platform] : undefined;
      const receiver = module?.webhooks;
      // Without an app secret no signature can be checked (anyone could compute one over '').
      if (!platform || !receiver || ctx.endpoints(platform).mode === 'missing') {
        return reply.status(404).send(sendError('not_found', 'This server takes no webhooks for that CRM.'));
      }
      // CRMs whose webhooks a connection registers (module.subscriptions) deliver to a URL naming that
      // registration, whose stored secret the delivery must carry (in the URL, for `path` credentials).
      const subscription = parsedParams.success ? parsedParams.data.subscription : undefined;
      const pathSecret = parsedParams.success ? parsedParams.data.secret : undefined;
      const secretInPath = module.subscriptions?.credentials === 'path';
      if (Boolean(module.subscriptions) !== Boolean(subscription) || secretInPath !== (pathSecret !== undefined)) {
        return reply.status(404).send(sendError('not_found', 'This server takes no webhooks at that address.'));
      }
      const check = subscription
        ? await asSystem(ctx.db.pool, (tx) => webhookSubscriptionsRepository(tx, ctx.keys).deliveryCheckOf(subscription, platform))
        : null;
      const body = request.body as string;
      const verified = receiver.verify({
        secret: ctx.endpoints(platform).clientSecret, subscriptionSecret: check?.secret, pathSecret, method: 'POST', url: `${ctx.config.publicUrl}${request.url}`, body, headers: request.headers,
      });
      if (!verified) return reply.status(401).send(sendError('unauthorized', 'The webhook signature or timestamp is not valid.'));
      const parsed = receiver.parse(body);
      if (!parsed.ok) return reply.status(400).send(sendError('validation_failed', `The webhook body is not what this CRM sends (${parsed.problem}).`));
      if (check && parsed.events.some((event) => event.accountId !== check.accountId)) {
        return reply.status(401).send(sendError('unauthorized', 'The webhook names another account than the connection it was registered for.'));
      }
      await asSystem(ctx.db.pool, (tx) => webhookEventsRepository(tx).record(platform, parsed.events));
      const ack = receiver.acknowledgement;
      return ack ? reply.status(200).type(ack.contentType).send(ack.body) : reply.status(204).send();
    };
    app.post('/crm/webhooks/:platform', { config: { public: true }, schema: { hide: true } }, receive);
    app.post('/crm/webhooks/:platform/:subscription', { config: { public: true }, schema: { hide: true } }, receive);
    app.post('/crm/webhooks/:platform/:subscription/:secret', { config: { public: true }, schema: { hide: true } }, receive);
  };
}
