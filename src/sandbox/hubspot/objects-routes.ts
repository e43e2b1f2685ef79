/**
 * CRM v3 basic object endpoints: list (cursor paging by id), get, create, update, archive.
 * https://developers.hubspot.com/docs/api/crm/contacts
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HubspotContext, RouteConfig } from './context.js';
import { notFound, sendError, validation } from './errors.js';
import { OBJECTS, resolveObjectType, type ObjectType } from './objects.js';
import { bool, csv, objectTypes, parseLimit, parseListCursor } from './query.js';
import { serializeRecord } from './serialize.js';
import { archiveRecord, createRecord, updateRecord, type AssociationSpec } from './writes.js';

type Params = { type: string; id?: string };
type Req = FastifyRequest<{ Params: Params; Querystring: Record<string, unknown>; Body: Record<string, unknown> }>;

const LIST_MAX = 100;

export function objectScopes(access: 'read' | 'write') {
  return (req: FastifyRequest) => {
    const type = resolveObjectType((req.params as Params).type ?? '');
    return type ? [access === 'read' ? OBJECTS[type].readScope : OBJECTS[type].writeScope] : [];
  };
}

export const config = (kind: string, access: 'read' | 'write'): RouteConfig => ({ kind, scopes: objectScopes(access), limit: 'api', readOnly: access === 'read' });

/** The object type of the path, or sends HubSpot's 400 and returns undefined. */
export function typeOf(req: FastifyRequest, reply: FastifyReply): ObjectType | undefined {
  const name = (req.params as Params).type;
  const type = resolveObjectType(name);
  if (!type) validation(req, reply, `Unable to infer object type from: ${name}`);
  return type;
}

/** Slot of a record by path id (or `idProperty=email` for contacts), live unless `archived`. */
export function findSlot(ctx: HubspotContext, req: Req, type: ObjectType, archived: boolean): number {
  const coll = req.sandbox.account.data.collections.get(type)!;
  const idProperty = typeof req.query.idProperty === 'string' ? req.query.idProperty : undefined;
  const raw = req.params.id ?? '';
  const slot = idProperty && idProperty !== 'hs_object_id' ? (idProperty === 'email' && type === 'contacts' ? coll.findUnique('email', raw) : -1) : /^\d+$/.test(raw) ? coll.slotOf(Number(raw)) : -1;
  if (slot < 0) return -1;
  return coll.isArchived(slot) === archived ? slot : -1;
}

export function registerObjectRoutes(app: FastifyInstance, ctx: HubspotContext): void {
  app.get('/crm/v3/objects/:type', { config: { sandbox: config('list', 'read') } }, async (req: Req, reply) => {
    const type = typeOf(req, reply);
    if (!type) return reply;
    const limit = parseLimit(req.query.limit, 10);
    const after = parseListCursor(req.query.after);
    if (Number.isNaN(limit) || limit < 1) return validation(req, reply, `Invalid limit: ${String(req.query.limit)}`);
    if (Number.isNaN(after)) return validation(req, reply, `Invalid after: ${String(req.query.after)}`);
    const data = req.sandbox.account.data;
    const coll = data.collections.get(type)!;
    const size = Math.min(limit, LIST_MAX);
    const slots = coll.page(coll.lowerBound(after), size + 1, bool(req.query.archived));
    const opts = { properties: csv(req.query.properties), associations: objectTypes(req.query.associations), propertiesWithHistory: csv(req.query.propertiesWithHistory) };
    const results = slots.slice(0, size).map((s) => serializeRecord(type, data, s, opts));
    const body: Record<string, unknown> = { results };
    if (slots.length > size) {
      const next = String(coll.ids[slots[size - 1]!]! + 1);
      body.paging = { next: { after: next, link: `?after=${next}` } };
    }
    return body;
  });

  app.get('/crm/v3/objects/:type/:id', { config: { sandbox: config('get', 'read') } }, async (req: Req, reply) => {
    const type = typeOf(req, reply);
    if (!type) return reply;
    const slot = findSlot(ctx, req, type, bool(req.query.archived));
    if (slot < 0) return notFound(req, reply, 'Object not found.  objectId are usually numeric.', req.params.id);
    const opts = { properties: csv(req.query.properties), associations: objectTypes(req.query.associations), propertiesWithHistory: csv(req.query.propertiesWithHistory) };
    return serializeRecord(type, req.sandbox.account.data, slot, opts);
  });

  app.post('/crm/v3/objects/:type', { config: { sandbox: config('write', 'write') } }, async (req: Req, reply) => {
    const type = typeOf(req, reply);
    if (!type) return reply;
    const body = req.body ?? {};
    const result = createRecord(ctx, req.sandbox.account, type, body.properties, (body.associations as AssociationSpec[]) ?? []);
    if (!result.ok) return sendError(req, reply, result.status, result.category, result.message);
    const names = Object.keys((body.properties as object) ?? {});
    return reply.code(201).send(serializeRecord(type, req.sandbox.account.data, result.slot, { properties: [...OBJECTS[type].defaultProperties, ...names] }));
  });

  app.patch('/crm/v3/objects/:type/:id', { config: { sandbox: config('write', 'write') } }, async (req: Req, reply) => {
    const type = typeOf(req, reply);
    if (!type) return reply;
    const slot = findSlot(ctx, req, type, false);
    if (slot < 0) return notFound(req, reply, 'Object not found.  objectId are usually numeric.', req.params.id);
    const result = updateRecord(ctx, req.sandbox.account, type, slot, (req.body ?? {}).properties);
    if (!result.ok) return sendError(req, reply, result.status, result.category, result.message);
    const names = Object.keys(((req.body ?? {}).properties as object) ?? {});
    return serializeRecord(type, req.sandbox.account.data, slot, { properties: [...OBJECTS[type].defaultProperties, ...names] });
  });

  app.delete('/crm/v3/objects/:type/:id', { config: { sandbox: config('write', 'write') } }, async (req: Req, reply) => {
    const type = typeOf(req, reply);
    if (!type) return reply;
    const slot = findSlot(ctx, req, type, false);
    if (slot >= 0) archiveRecord(ctx, req.sandbox.account, type, slot);
    return reply.code(204).send();
  });
}
