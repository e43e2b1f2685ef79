/**
 * Webhooks v2: `POST /v1/webhooks` registers a subscription (at most 40 per user) for an
 * `event_action` (create | change | delete | *) on an `event_object` (deal | person | organization |
 * *), delivered one event per request with the subscriber's HTTP Basic credentials (Pipedrive signs
 * nothing), retried by the core dispatcher on anything but 2xx. Payload `{ meta, data, previous }`.
 * https://pipedrive.readme.io/docs/guide-for-webhooks-v2
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PipedriveContext, RecordChange } from './context.js';
import { badRequest, notFound } from './errors.js';
import { OBJECTS } from './objects.js';
import { rfc3339 } from './serialize.js';

export const MAX_WEBHOOKS_PER_USER = 40;
const ACTIONS = ['create', 'change', 'delete', '*'];
const OBJECTS_ALLOWED = ['activity', 'deal', 'lead', 'note', 'organization', 'person', 'pipeline', 'product', 'stage', 'user', '*'];

export interface Webhook {
  id: number;
  company_id: number;
  owner_id: number;
  user_id: number;
  event_action: string;
  event_object: string;
  subscription_url: string;
  version: '1.0' | '2.0';
  is_active: number;
  add_time: string;
  remove_time: string | null;
  type: 'general';
  name: string;
  http_auth_user: string | null;
  http_auth_password: string | null;
  remove_reason: string | null;
  last_delivery_time: string | null;
  last_http_status: number | null;
  admin_id: number;
}

export class WebhookRegistry {
  private nextId = 1;
  readonly hooks = new Map<number, Webhook>();

  add(hook: Omit<Webhook, 'id'>): Webhook {
    const created = { id: this.nextId++, ...hook };
    this.hooks.set(created.id, created);
    return created;
  }

  ofUser(companyId: number, userId: number): Webhook[] {
    return [...this.hooks.values()].filter((h) => h.company_id === companyId && h.user_id === userId);
  }

  matching(companyId: number, action: string, entity: string): Webhook[] {
    return [...this.hooks.values()].filter((h) => h.company_id === companyId && h.is_active && (h.event_action === '*' || h.event_action === action) && (h.event_object === '*' || h.event_object === entity));
  }
}

/** Queues one v2 event per matching webhook. */
export function createEmitter(ctx: () => PipedriveContext) {
  return (change: RecordChange) => {
    const c = ctx();
    const entity = OBJECTS[change.type].entity;
    const account = c.store.account(change.accountId);
    if (!account) return;
    for (const hook of c.webhooks.matching(change.accountId, change.action, entity)) {
      const meta = {
        action: change.action, entity, entity_id: String(change.current.id), company_id: String(change.accountId), correlation_id: randomUUID(), id: randomUUID(),
        is_bulk_edit: false, timestamp: new Date(c.clock.now()).toISOString(), type: 'general', user_id: String(account.users[0]!.id), version: '2.0',
        webhook_id: String(hook.id), webhook_owner_id: String(hook.user_id), change_source: change.source, attempt: 1, host: `${account.domain}`, permitted_user_ids: account.users.map((u) => String(u.id)),
        ...(change.mergedInto !== undefined ? { merged_to_id: String(change.mergedInto) } : {}),
      };
      const event = { meta, data: change.action === 'delete' ? null : change.current, previous: change.previous };
      const auth: Record<string, string> = hook.http_auth_user !== null ? { authorization: `Basic ${Buffer.from(`${hook.http_auth_user}:${hook.http_auth_password ?? ''}`).toString('base64')}` } : {};
      c.dispatcher.enqueue({
        key: `${change.accountId}:${hook.id}`,
        url: hook.subscription_url,
        single: true,
        headers: () => auth,
        // The dispatcher keeps the first target of a key for its whole queue: read each event's own meta.
        withAttempt: (e, attempt) => ({ ...(e as typeof event), meta: { ...(e as typeof event).meta, attempt: attempt + 1 } }),
      }, event);
      hook.last_delivery_time = rfc3339(c.clock.now());
    }
  };
}

const WEBHOOK_SCOPES = () => ['webhooks:read', 'webhooks:full', 'admin'];
const WEBHOOK_WRITE_SCOPES = () => ['webhooks:full', 'admin'];

export function registerWebhookRoutes(app: FastifyInstance, ctx: PipedriveContext): void {
  for (const base of ['/v1/webhooks', '/api/v1/webhooks']) {
    app.get(base, { config: { sandbox: { kind: 'webhooks', scopes: WEBHOOK_SCOPES, limit: 'api' } } }, async (req) => {
      const token = req.sandbox.token!;
      return { success: true, status: 'ok', data: ctx.webhooks.ofUser(token.accountId, token.userId) };
    });
    app.post(base, { config: { sandbox: { kind: 'webhooks', scopes: WEBHOOK_WRITE_SCOPES, limit: 'api' } } }, async (req: FastifyRequest<{ Body: Record<string, unknown> }>, reply: FastifyReply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const token = req.sandbox.token!;
      const url = typeof body.subscription_url === 'string' ? body.subscription_url : '';
      if (!/^https?:\/\//.test(url)) return badRequest(reply, 'Invalid subscription_url');
      if (!ACTIONS.includes(String(body.event_action))) return badRequest(reply, 'Invalid event_action');
      if (!OBJECTS_ALLOWED.includes(String(body.event_object))) return badRequest(reply, 'Invalid event_object');
      if (ctx.webhooks.ofUser(token.accountId, token.userId).length >= MAX_WEBHOOKS_PER_USER) return badRequest(reply, `Webhooks limit reached: a user can have at most ${MAX_WEBHOOKS_PER_USER} webhooks`);
      const version = body.version === '1.0' ? '1.0' : '2.0';
      const hook = ctx.webhooks.add({
        company_id: token.accountId, owner_id: token.userId, user_id: typeof body.user_id === 'number' ? body.user_id : token.userId,
        event_action: String(body.event_action), event_object: String(body.event_object), subscription_url: url, version, is_active: 1,
        add_time: rfc3339(ctx.clock.now()), remove_time: null, type: 'general', name: typeof body.name === 'string' ? body.name : 'Webhook',
        http_auth_user: typeof body.http_auth_user === 'string' ? body.http_auth_user : null, http_auth_password: typeof body.http_auth_password === 'string' ? body.http_auth_password : null,
        remove_reason: null, last_delivery_time: null, last_http_status: null, admin_id: token.userId,
      });
      return reply.code(201).send({ success: true, status: 'ok', data: hook });
    });
    app.delete(`${base}/:id`, { config: { sandbox: { kind: 'webhooks', scopes: WEBHOOK_WRITE_SCOPES, limit: 'api' } } }, async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
      const hook = ctx.webhooks.hooks.get(Number(req.params.id));
      if (!hook || hook.company_id !== req.sandbox.token!.accountId) return notFound(reply, 'Webhook not found');
      ctx.webhooks.hooks.delete(hook.id);
      return { success: true, status: 'ok', data: { id: hook.id } };
    });
  }
}
