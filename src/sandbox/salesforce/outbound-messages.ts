/**
 * Outbound Messages: what an admin sets up in Setup (a record-triggered flow, or a workflow rule,
 * whose Outbound Message action posts to an endpoint URL), stood for by the admin route
 * `PUT /_sandbox/outbound-messages {endpointUrl, objects, accountId?}`. Every create and update of
 * those objects (API and admin writes alike) then posts a SOAP 1.1 `<notifications>` message with
 * the org's id and up to 100 `<Notification>`s (each with its own id, the same on every retry, and
 * the record's `Id`), once the write is visible to queries (after the commit lag, see README), through
 * the core dispatcher: anything but `<Ack>true</Ack>` is retried with growing delays, so a later
 * message can overtake a retried one (Salesforce promises no order either). Deletes and undeletes
 * send nothing, as record-triggered flows on create/update do not.
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_understanding.htm
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ADMIN, adminError, parse } from '../core/admin-input.js';
import type { SandboxAccount } from '../core/store.js';
import { orgIdOf } from './app.js';
import type { SalesforceContext } from './context.js';
import { OBJECT_TYPES, SOBJECTS, sfId, type ObjectType } from './objects.js';

export interface OutboundMessage {
  /** The action's id (prefix 04k), in every message it sends. */
  actionId: string;
  accountId: number;
  endpointUrl: string;
  objects: ObjectType[];
}

export interface OutboundState {
  messages: OutboundMessage[];
  nextAction: number;
  nextNotification: number;
  /** Writes still inside the commit lag: their notifications go once queries can see them. */
  waiting: { dueAt: number; send(): void }[];
  timer: NodeJS.Timeout | null;
}

export const newOutboundState = (): OutboundState => ({ messages: [], nextAction: 1, nextNotification: 1, waiting: [], timer: null });

const API_VERSION = '60.0';
const ACK = /<(?:\w+:)?Ack>\s*true\s*<\/(?:\w+:)?Ack>/;
const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface Notification { id: string; type: string; recordId: string }

function soapMessage(ctx: SalesforceContext, message: OutboundMessage, notifications: Notification[]): string {
  const org = orgIdOf(message.accountId);
  const items = notifications.map((n) => `<Notification><Id>${n.id}</Id><sObject xsi:type="sf:${n.type}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com"><sf:Id>${n.recordId}</sf:Id></sObject></Notification>`).join('');
  return '<?xml version="1.0" encoding="UTF-8"?>'
    + '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    + '<soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound">'
    + `<OrganizationId>${org}</OrganizationId><ActionId>${message.actionId}</ActionId><SessionId xsi:nil="true"/>`
    + `<EnterpriseUrl>${escapeXml(`${ctx.origin}/services/Soap/c/${API_VERSION}/${org}`)}</EnterpriseUrl>`
    + `<PartnerUrl>${escapeXml(`${ctx.origin}/services/Soap/u/${API_VERSION}/${org}`)}</PartnerUrl>`
    + `${items}</notifications></soapenv:Body></soapenv:Envelope>`;
}

/** Called by every create and update: queues a notification per outbound message watching the object. */
export function notifyOutbound(ctx: SalesforceContext, a: SandboxAccount, type: ObjectType, slot: number): void {
  const state = ctx.outbound;
  const watching = state.messages.filter((m) => m.accountId === a.id && m.objects.includes(type));
  if (watching.length === 0) return;
  const recordId = sfId(SOBJECTS[type].keyPrefix, a.data.collections.get(type)!.ids[slot]!);
  const send = () => {
    for (const message of watching) {
      const notification: Notification = { id: sfId('04l', state.nextNotification++), type: SOBJECTS[type].type, recordId };
      ctx.dispatcher.enqueue({
        key: `salesforce:${message.accountId}:${message.actionId}:${message.endpointUrl}`,
        url: message.endpointUrl,
        headers: () => ({ soapaction: '""' }),
        encode: (events) => ({ contentType: 'text/xml; charset=utf-8', body: soapMessage(ctx, message, events as Notification[]) }),
        acknowledged: (status, body) => status === 200 && ACK.test(body),
      }, notification);
    }
  };
  if (ctx.options.commitLagMs <= 0) return send();
  state.waiting.push({ dueAt: ctx.store.clock.now() + ctx.options.commitLagMs, send });
  releaseWhenCommitted(ctx);
}

/** Sends what the commit lag held back once the sandbox clock (which an admin may advance) passes it. */
function releaseWhenCommitted(ctx: SalesforceContext): void {
  const state = ctx.outbound;
  if (state.timer) return;
  const tick = () => {
    state.timer = null;
    const now = ctx.store.clock.now();
    const due = state.waiting.filter((w) => w.dueAt <= now);
    state.waiting = state.waiting.filter((w) => w.dueAt > now);
    for (const w of due) w.send();
    if (state.waiting.length > 0) releaseWhenCommitted(ctx);
  };
  state.timer = setTimeout(tick, 50);
  state.timer.unref();
}

const sobjectName = z.string().refine((name) => OBJECT_TYPES.some((t) => SOBJECTS[t].type === name), { message: `one of ${OBJECT_TYPES.map((t) => SOBJECTS[t].type).join(', ')}` });
const setup = z.object({
  accountId: z.number().int().positive().optional(),
  endpointUrl: z.url({ protocol: /^https?$/ }),
  objects: z.array(sobjectName).min(1).default(OBJECT_TYPES.map((t) => SOBJECTS[t].type)),
}).strict();

export function registerOutboundMessageAdmin(app: FastifyInstance, ctx: SalesforceContext): void {
  const describe = (m: OutboundMessage) => ({ actionId: m.actionId, accountId: m.accountId, endpointUrl: m.endpointUrl, objects: m.objects.map((t) => SOBJECTS[t].type) });
  /** Sets up (or replaces) the org's outbound message to one endpoint, for the objects named. */
  app.put('/_sandbox/outbound-messages', ADMIN, async (req, reply) => {
    const body = parse(setup, req.body, reply);
    if (!body) return reply;
    const account = ctx.store.account(body.accountId);
    if (!account) return adminError(reply, 404, 'not_found', `unknown org ${body.accountId}`);
    const objects = OBJECT_TYPES.filter((t) => body.objects.includes(SOBJECTS[t].type));
    const existing = ctx.outbound.messages.find((m) => m.accountId === account.id && m.endpointUrl === body.endpointUrl);
    const message = existing ?? { actionId: sfId('04k', ctx.outbound.nextAction++), accountId: account.id, endpointUrl: body.endpointUrl, objects };
    message.objects = objects;
    if (!existing) ctx.outbound.messages.push(message);
    return describe(message);
  });
  app.get('/_sandbox/outbound-messages', ADMIN, async () => ({ messages: ctx.outbound.messages.map(describe) }));
  /** Removes the outbound messages to `?endpointUrl=` (all of them without it). */
  app.delete('/_sandbox/outbound-messages', ADMIN, async (req) => {
    const url = (req.query as { endpointUrl?: string }).endpointUrl;
    const before = ctx.outbound.messages.length;
    ctx.outbound.messages = url ? ctx.outbound.messages.filter((m) => m.endpointUrl !== url) : [];
    return { removed: before - ctx.outbound.messages.length };
  });
}
