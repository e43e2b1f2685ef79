import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { connectorModules } from '../../crm/modules.js';
import { platformIds } from '../../crm/platforms.js';
import { webhookEventsRepository } from '../../db/webhook-events-repository.js';
import { asSystem } from '../../db/tenant.js';
import { sendError } from '../errors.js';

/**
 * POST /crm/webhooks/:platform: a CRM's pushed events, verified by the CRM's own scheme (its module's
 * receiver), recorded for the next sync. Events name a CRM account, not a user: every integration
 * of that account gets them.
 */
export function webhookRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    // Signatures cover the exact bytes sent: keep the body as a string until it is verified.
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_request, body, done) => done(null, body));

    const params = z.object({ platform: z.enum(platformIds) });
    app.post('/crm/webhooks/:platform', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
      const parsedParams = params.safeParse(request.params);
      const platform = parsedParams.success ? parsedParams.data.platform : null;
      const receiver = platform ? connectorModules[platform]?.webhooks : undefined;
      // Without an app secret no signature can be checked (anyone could compute one over '').
      if (!platform || !receiver || ctx.endpoints(platform).mode === 'missing') {
        return reply.status(404).send(sendError('not_found', 'This server takes no webhooks for that CRM.'));
      }
      const body = request.body as string;
      const verified = receiver.verify({
        secret: ctx.endpoints(platform).clientSecret, method: 'POST', url: `${ctx.config.publicUrl}${request.url}`, body, headers: request.headers,
      });
      if (!verified) return reply.status(401).send(sendError('unauthorized', 'The webhook signature or timestamp is not valid.'));
      const parsed = receiver.parse(body);
      if (!parsed.ok) return reply.status(400).send(sendError('validation_failed', `The webhook body is not what this CRM sends (${parsed.problem}).`));
      await asSystem(ctx.db.pool, (tx) => webhookEventsRepository(tx).record(platform, parsed.events));
      return reply.status(204).send();
    });
  };
}
