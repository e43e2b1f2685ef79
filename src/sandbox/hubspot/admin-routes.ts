/**
 * HubSpot's own admin routes under /_sandbox/: private-app tokens and webhook setup. Record routes
 * live in admin-records-routes.ts; accounts, seeding and the rest are generic (../core).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { ADMIN, adminError, parse } from '../core/admin-input.js';
import type { SandboxAccount } from '../core/store.js';
import { registerRecordAdmin } from './admin-records-routes.js';
import type { HubspotContext } from './context.js';
import { OBJECT_TYPES } from './objects.js';
import { registerSearchSettingsAdmin } from './search-settings.js';

const accountRef = z.object({ accountId: z.number().int().optional() });

export function registerHubspotAdmin(app: FastifyInstance, ctx: HubspotContext): void {
  registerRecordAdmin(app, ctx);
  registerSearchSettingsAdmin(app, ctx);
  const account = (id: number | undefined, reply: FastifyReply): SandboxAccount | undefined => {
    const a = ctx.store.account(id);
    if (!a) adminError(reply, 404, 'not_found', `unknown account ${id}`);
    return a;
  };
  app.post('/_sandbox/private-apps', ADMIN, async (req, reply) => {
    const body = parse(accountRef.extend({ scopes: z.array(z.string()).optional() }), req.body, reply);
    const a = body && account(body.accountId, reply);
    if (!body || !a) return reply;
    const scopes = body.scopes ?? ['oauth', 'crm.objects.owners.read', ...OBJECT_TYPES.flatMap((t) => [`crm.objects.${t}.read`, `crm.objects.${t}.write`, `crm.schemas.${t}.read`])];
    const token = ctx.store.tokens.issuePrivate({ clientId: 'private-app', accountId: a.id, userId: a.users[0]!.id, scopes });
    return reply.code(201).send({ token: token.token, accountId: a.id, scopes });
  });

  app.put('/_sandbox/webhooks/:appId', ADMIN, async (req, reply) => {
    const appId = Number((req.params as { appId: string }).appId);
    if (!ctx.store.appById(appId)) return adminError(reply, 404, 'not_found', `unknown app ${appId}`);
    const body = parse(z.object({ targetUrl: z.string().url(), maxConcurrentRequests: z.number().int().positive().optional(), subscriptions: z.array(z.object({ eventType: z.string(), propertyName: z.string().optional(), active: z.boolean().optional() })).optional() }), req.body, reply);
    if (!body) return reply;
    const now = new Date(ctx.store.clock.now()).toISOString();
    const settings = ctx.webhooks.setSettings(appId, body.targetUrl, body.maxConcurrentRequests ?? 10, now);
    if (body.subscriptions) {
      for (const s of ctx.webhooks.subscriptions(appId)) ctx.webhooks.remove(appId, s.id);
      for (const s of body.subscriptions) ctx.webhooks.subscribe(appId, s, now);
    }
    return { settings, subscriptions: ctx.webhooks.subscriptions(appId) };
  });
}
