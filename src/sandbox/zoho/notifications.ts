/**
 * Notifications (`/crm/v8/actions/watch`): an app subscribes a channel (its own `channel_id`, a
 * `notify_url`, `events` such as `Contacts.all` or `Deals.delete`, an optional `token` of at most 50
 * characters, `channel_expiry` at most one day ahead, one hour when left out). Each change in a watched
 * module is posted to the channel's URL as `{server_time, module, resource_uri, ids, operation,
 * channel_id, token, query_params, affected_fields}`, one change per request, through the core
 * dispatcher (retried on anything but 2xx); an expired channel delivers nothing. PUT replaces a
 * channel's settings (renewal: a new expiry), PATCH with `_delete_events` removes events, DELETE
 * `?channel_ids=` removes channels.
 * https://www.zoho.com/crm/developer/docs/api/v8/notifications/overview.html
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxAccount } from '../core/store.js';
import type { ZohoContext } from './context.js';
import { dcPaths, prefixOf } from './datacentres.js';
import { sendZohoError } from './errors.js';
import { zohoTime } from './ids.js';
import { MODULES, moduleByApiName, type ObjectType } from './modules.js';

const MAX_EXPIRY_MS = 24 * 3_600_000;
const DEFAULT_EXPIRY_MS = 3_600_000;
const OPERATIONS = { all: null, create: 'insert', edit: 'update', delete: 'delete' } as const;
type Operation = 'insert' | 'update' | 'delete';

export interface Channel {
  channelId: string;
  accountId: number;
  clientId: string;
  notifyUrl: string;
  token: string | null;
  /** `Contacts.all`, `Deals.delete`… */
  events: string[];
  expiresAt: number;
}

const SCOPES = () => ['ZohoCRM.notifications.ALL', 'ZohoCRM.notifications.CREATE', 'ZohoCRM.notifications.UPDATE', 'ZohoCRM.notifications.DELETE', 'ZohoCRM.notifications.READ'];
const key = (accountId: number, channelId: string) => `${accountId}:${channelId}`;

/** Posts one change to every live channel of the org watching it. */
export function notifyChange(ctx: ZohoContext, account: SandboxAccount, type: ObjectType, ids: string[], operation: Operation): void {
  const module = MODULES[type].apiName;
  const now = ctx.store.clock.now();
  for (const channel of ctx.channels.values()) {
    if (channel.accountId !== account.id || channel.expiresAt <= now) continue;
    const watched = channel.events.some((event) => {
      const [name, what] = event.split('.');
      return name === module && (what === 'all' || OPERATIONS[what as keyof typeof OPERATIONS] === operation);
    });
    if (!watched) continue;
    const body = {
      server_time: now, query_params: {}, module, resource_uri: `${ctx.origin}${prefixOf(ctx.orgs.get(account.id)?.location ?? 'us')}/crm/v8/${module}`,
      ids, affected_fields: [], operation, channel_id: channel.channelId, token: channel.token,
    };
    ctx.dispatcher.enqueue({ key: `zoho:${key(account.id, channel.channelId)}`, url: channel.notifyUrl, single: true, headers: () => ({}) }, body);
  }
}

interface WatchInput { channel_id?: unknown; notify_url?: unknown; events?: unknown; token?: unknown; channel_expiry?: unknown; _delete_events?: unknown }

export function registerNotificationRoutes(app: FastifyInstance, ctx: ZohoContext): void {
  const route = { config: { sandbox: { kind: 'notifications', scopes: SCOPES, limit: 'api' as const } } };
  const invalid = (reply: FastifyReply, message: string, details: Record<string, unknown>) => sendZohoError(reply, 400, 'INVALID_DATA', message, details);

  /** One `watch[]` item checked: the channel it describes, or the error to answer. */
  const channelOf = (item: WatchInput, i: number, accountId: number, clientId: string, existing?: Channel): Channel | { problem: string; details: Record<string, unknown> } => {
    const now = ctx.store.clock.now();
    const channelId = item.channel_id === undefined ? undefined : String(item.channel_id);
    if (!channelId || !/^\d{1,19}$/.test(channelId)) return { problem: 'invalid data', details: { api_name: 'channel_id', json_path: `$.watch[${i}].channel_id` } };
    const notifyUrl = item.notify_url ?? existing?.notifyUrl;
    if (typeof notifyUrl !== 'string' || !/^https?:\/\//.test(notifyUrl)) return { problem: 'invalid data', details: { api_name: 'notify_url', json_path: `$.watch[${i}].notify_url` } };
    const events = item.events ?? existing?.events;
    const valid = Array.isArray(events) && events.length > 0 && events.every((e) => typeof e === 'string' && /^(\w+)\.(all|create|edit|delete)$/.test(e) && moduleByApiName(e.split('.')[0]!));
    if (!valid) return { problem: 'invalid data', details: { api_name: 'events', json_path: `$.watch[${i}].events` } };
    if (item.token !== undefined && item.token !== null && (typeof item.token !== 'string' || item.token.length > 50)) {
      return { problem: 'invalid data', details: { api_name: 'token', json_path: `$.watch[${i}].token`, maximum_length: 50 } };
    }
    let expiresAt = now + DEFAULT_EXPIRY_MS;
    if (item.channel_expiry !== undefined && item.channel_expiry !== null) {
      const at = typeof item.channel_expiry === 'string' ? Date.parse(item.channel_expiry) : NaN;
      if (Number.isNaN(at) || at <= now || at > now + MAX_EXPIRY_MS) return { problem: 'invalid data', details: { api_name: 'channel_expiry', json_path: `$.watch[${i}].channel_expiry`, info: 'at most one day from now' } };
      expiresAt = at;
    }
    return { channelId, accountId, clientId, notifyUrl, token: (item.token as string | undefined) ?? existing?.token ?? null, events: events as string[], expiresAt };
  };

  const describe = (channel: Channel) => ({
    channel_expiry: zohoTime(channel.expiresAt), resource_uri: `${ctx.origin}/crm/v8/${channel.events[0]!.split('.')[0]}`, resource_id: String(channel.accountId),
    resource_name: channel.events[0]!.split('.')[0], channel_id: channel.channelId, notification_condition: [],
  });

  const upsert = (replace: boolean) => async (req: FastifyRequest<{ Body: { watch?: WatchInput[] } }>, reply: FastifyReply) => {
    const token = req.sandbox.token!;
    const items = req.body?.watch;
    if (!Array.isArray(items) || items.length === 0) return sendZohoError(reply, 400, 'MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'watch' });
    const out = [];
    for (const [i, item] of items.entries()) {
      const existing = item.channel_id === undefined ? undefined : ctx.channels.get(key(token.accountId, String(item.channel_id)));
      if (replace && !existing) return invalid(reply, 'invalid data', { api_name: 'channel_id', json_path: `$.watch[${i}].channel_id` });
      const channel = channelOf(item, i, token.accountId, token.clientId, replace ? existing : undefined);
      if ('problem' in channel) return invalid(reply, channel.problem, channel.details);
      ctx.channels.set(key(channel.accountId, channel.channelId), channel);
      out.push({ code: 'SUCCESS', details: { events: [describe(channel)] }, message: replace ? 'Successfully updated the subscribe details' : 'Successfully subscribed for actions-watch of the given module', status: 'success' });
    }
    return reply.code(replace ? 200 : 201).send({ watch: out });
  };

  for (const path of dcPaths('/crm/v8/actions/watch')) {
    app.post(path, route, upsert(false));
    app.put(path, route, upsert(true));
    app.get(path, route, async (req, reply) => {
      const now = ctx.store.clock.now();
      const mine = [...ctx.channels.values()].filter((c) => c.accountId === req.sandbox.token!.accountId && c.expiresAt > now);
      if (mine.length === 0) return reply.code(204).send();
      return {
        watch: mine.map((c) => ({ channel_id: c.channelId, notify_url: c.notifyUrl, events: c.events, token: c.token, channel_expiry: zohoTime(c.expiresAt), resource_uri: describe(c).resource_uri, resource_id: describe(c).resource_id, resource_name: describe(c).resource_name, notify_on_related_action: false, fields: null, return_affected_field_values: false, notification_condition: [] })),
        info: { per_page: 200, page: 1, count: mine.length, more_records: false },
      };
    });
    app.delete(path, route, async (req: FastifyRequest<{ Querystring: { channel_ids?: string } }>, reply) => {
      const ids = (req.query.channel_ids ?? '').split(',').filter(Boolean);
      if (ids.length === 0) return sendZohoError(reply, 400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'channel_ids' });
      const accountId = req.sandbox.token!.accountId;
      return {
        watch: ids.map((id) => {
          const gone = ctx.channels.delete(key(accountId, id));
          return gone
            ? { code: 'SUCCESS', details: { channel_id: id }, message: 'Successfully un-subscribed from actions-watch', status: 'success' }
            : { code: 'INVALID_DATA', details: { channel_id: id }, message: 'invalid data', status: 'error' };
        }),
      };
    });
  }
}
