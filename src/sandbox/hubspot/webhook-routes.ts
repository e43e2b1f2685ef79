/**
 * Webhooks v3 management API for an app, authenticated with the developer API key (`hapikey` query
 * parameter), not with an OAuth token. https://developers.hubspot.com/docs/api/webhooks
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HubspotContext } from './context.js';
import { notFound, sendError, validation } from './errors.js';
import { EVENT_TYPES } from './webhook-registry.js';

type Req = FastifyRequest<{ Params: { appId: string; subscriptionId?: string }; Querystring: { hapikey?: string }; Body: Record<string, unknown> }>;
const cfg = { config: { sandbox: { kind: 'webhooks' } } };

export function registerWebhookRoutes(app: FastifyInstance, ctx: HubspotContext): void {
  const now = () => new Date(ctx.store.clock.now()).toISOString();
  /** The app id when the key and app are valid; otherwise sends the error. */
  const guard = (req: Req, reply: FastifyReply): number | undefined => {
    if (req.query.hapikey !== ctx.options.developerApiKey) {
      sendError(req, reply, 401, 'INVALID_AUTHENTICATION', 'The API key provided is invalid. View or manage your API key here: https://app.hubspot.com/l/api-key/');
      return undefined;
    }
    const appId = Number(req.params.appId);
    if (!ctx.store.appById(appId)) return void notFound(req, reply, `App ${req.params.appId} not found`);
    return appId;
  };

  app.get('/webhooks/v3/:appId/settings', cfg, async (req: Req, reply) => {
    const appId = guard(req, reply);
    if (appId === undefined) return reply;
    return ctx.webhooks.settings(appId) ?? notFound(req, reply, 'No settings for this app');
  });
  app.put('/webhooks/v3/:appId/settings', cfg, async (req: Req, reply) => {
    const appId = guard(req, reply);
    if (appId === undefined) return reply;
    const targetUrl = req.body?.targetUrl;
    if (typeof targetUrl !== 'string' || !URL.canParse(targetUrl)) return validation(req, reply, 'targetUrl must be a valid URL');
    const throttling = (req.body?.throttling ?? {}) as { maxConcurrentRequests?: number };
    return ctx.webhooks.setSettings(appId, targetUrl, throttling.maxConcurrentRequests ?? 10, now());
  });
  app.delete('/webhooks/v3/:appId/settings', cfg, async (req: Req, reply) => {
    const appId = guard(req, reply);
    if (appId === undefined) return reply;
    ctx.webhooks.clearSettings(appId);
    return reply.code(204).send();
  });

  app.get('/webhooks/v3/:appId/subscriptions', cfg, async (req: Req, reply) => {
    const appId = guard(req, reply);
    if (appId === undefined) return reply;
    return { results: ctx.webhooks.subscriptions(appId) };
  });
  app.post('/webhooks/v3/:appId/subscriptions', cfg, async (req: Req, reply) => {
    const appId = guard(req, reply);
    if (appId === undefined) return reply;
    const { eventType, propertyName, active } = req.body ?? {};
    if (typeof eventType !== 'string' || !EVENT_TYPES.includes(eventType)) return validation(req, reply, `Unsupported eventType: ${String(eventType)}`);
    if (eventType.endsWith('.propertyChange') && typeof propertyName !== 'string') return validation(req, reply, 'propertyName is required for propertyChange subscriptions');
    const sub = ctx.webhooks.subscribe(appId, { eventType, propertyName: propertyName as string | undefined, active: active as boolean | undefined }, now());
    return reply.code(201).send(sub);
  });
  app.post('/webhooks/v3/:appId/subscriptions/batch/update', cfg, async (req: Req, reply) => {
    const appId = guard(req, reply);
    if (appId === undefined) return reply;
    const inputs = (req.body?.inputs ?? []) as { id: number | string; active: boolean }[];
    const startedAt = now();
    const results = inputs.map((i) => ctx.webhooks.update(appId, String(i.id), i.active, now())).filter(Boolean);
    return { status: 'COMPLETE', results, startedAt, completedAt: now() };
  });
  app.get('/webhooks/v3/:appId/subscriptions/:subscriptionId', cfg, async (req: Req, reply) => {
    const appId = guard(req, reply);
    if (appId === undefined) return reply;
    return ctx.webhooks.subscriptions(appId).find((s) => s.id === req.params.subscriptionId) ?? notFound(req, reply);
  });
  app.patch('/webhooks/v3/:appId/subscriptions/:subscriptionId', cfg, async (req: Req, reply) => {
    const appId = guard(req, reply);
    if (appId === undefined) return reply;
    return ctx.webhooks.update(appId, req.params.subscriptionId!, req.body?.active !== false, now()) ?? notFound(req, reply);
  });
  app.delete('/webhooks/v3/:appId/subscriptions/:subscriptionId', cfg, async (req: Req, reply) => {
    const appId = guard(req, reply);
    if (appId === undefined) return reply;
    return ctx.webhooks.remove(appId, req.params.subscriptionId!) ? reply.code(204).send() : notFound(req, reply);
  });
}
