/**
 * CRM v4 associations: batch read, list one record's links, create the default association, delete
 * all associations between two records. Changing links does not move either record's modified date.
 * https://developers.hubspot.com/docs/api/crm/associations
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxAccount } from '../core/store.js';
import type { HubspotContext, RouteConfig } from './context.js';
import { notFound, validation } from './errors.js';
import { ASSOCIATION_TYPES, OBJECTS, resolveObjectType, type ObjectType } from './objects.js';
import { linksOf, type Link } from './links.js';
import { pageLinks, parsePageSize, V4_PAGE_MAX } from './association-paging.js';
import { setAssociation } from './writes.js';

type Params = { from: string; to: string; id?: string; toId?: string };
const V4_BATCH_MAX = 1000;

const scopes = (access: 'read' | 'write') => (req: FastifyRequest) => {
  const from = resolveObjectType((req.params as Params).from);
  return from ? [access === 'read' ? OBJECTS[from].readScope : OBJECTS[from].writeScope] : [];
};
const cfg = (access: 'read' | 'write'): RouteConfig => ({ kind: 'associations', scopes: scopes(access), limit: 'api', readOnly: access === 'read' });

function pair(req: FastifyRequest, reply: FastifyReply): [ObjectType, ObjectType] | undefined {
  const p = req.params as Params;
  const from = resolveObjectType(p.from);
  const to = resolveObjectType(p.to);
  if (!from || !to || !ASSOCIATION_TYPES[`${from}>${to}`]) return void validation(req, reply, `Unable to infer object types from: ${p.from}, ${p.to}`);
  return [from, to];
}

/** v4 `MultiAssociatedObjectWithLabel` entries: a primary link carries the Primary label first. */
function toEntries(links: Link[], from: ObjectType, to: ObjectType) {
  const spec = ASSOCIATION_TYPES[`${from}>${to}`]!;
  return links.map((l) => ({
    toObjectId: l.id,
    associationTypes: [
      ...(l.primary ? [{ category: 'HUBSPOT_DEFINED', typeId: spec.primary!, label: 'Primary' }] : []),
      { category: 'HUBSPOT_DEFINED', typeId: spec.unlabeled, label: null },
    ],
  }));
}

function slotOf(account: SandboxAccount, type: ObjectType, raw: unknown): number {
  const coll = account.data.collections.get(type)!;
  const slot = /^\d+$/.test(String(raw)) ? coll.slotOf(Number(raw)) : -1;
  return slot >= 0 && coll.isLive(slot) ? slot : -1;
}

export function registerAssociationRoutes(app: FastifyInstance, ctx: HubspotContext): void {
  const now = () => new Date(ctx.store.clock.now()).toISOString();

  app.post('/crm/v4/associations/:from/:to/batch/read', { config: { sandbox: cfg('read') } }, async (req: FastifyRequest<{ Params: Params; Body: { inputs?: { id: string; after?: string }[] } }>, reply) => {
    const types = pair(req, reply);
    if (!types) return reply;
    const [from, to] = types;
    const inputs = req.body?.inputs;
    if (!Array.isArray(inputs)) return validation(req, reply, 'Invalid input JSON: "inputs" is required');
    if (inputs.length > V4_BATCH_MAX) return validation(req, reply, `Batch input size ${inputs.length} exceeds the limit of ${V4_BATCH_MAX} inputs.`);
    const startedAt = now();
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of inputs) {
      const slot = slotOf(req.sandbox.account, from, input.id);
      const page = pageLinks(slot >= 0 ? linksOf(req.sandbox.account.data, from, slot, to) : [], input.after, V4_PAGE_MAX);
      if (!page) return validation(req, reply, `Invalid after: ${String(input.after)}`);
      if (page.links.length > 0) {
        const result: Record<string, unknown> = { from: { id: String(input.id) }, to: toEntries(page.links, from, to) };
        if (page.next) result.paging = { next: { after: page.next } };
        results.push(result);
      } else {
        errors.push({
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
          message: `No ${OBJECTS[to].singular} is associated with ${OBJECTS[from].singular} ${String(input.id)}.`,
          context: { fromObjectId: [String(input.id)], toObjectType: [OBJECTS[to].errorName] },
          errors: [],
          links: {},
        });
      }
    }
    const body: Record<string, unknown> = { status: 'COMPLETE', results, startedAt, completedAt: now() };
    if (errors.length) Object.assign(body, { numErrors: errors.length, errors });
    return reply.code(errors.length ? 207 : 200).send(body);
  });

  app.get('/crm/v4/objects/:from/:id/associations/:to', { config: { sandbox: cfg('read') } }, async (req: FastifyRequest<{ Params: Params; Querystring: { limit?: string; after?: string } }>, reply) => {
    const types = pair(req, reply);
    if (!types) return reply;
    const slot = slotOf(req.sandbox.account, types[0], req.params.id);
    if (slot < 0) return notFound(req, reply, undefined, req.params.id);
    const limit = parsePageSize(req.query.limit);
    if (limit === undefined) return validation(req, reply, `limit must be a positive integer, got ${String(req.query.limit)}`);
    const page = pageLinks(linksOf(req.sandbox.account.data, types[0], slot, types[1]), req.query.after, limit);
    if (!page) return validation(req, reply, `Invalid after: ${String(req.query.after)}`);
    const body: Record<string, unknown> = { results: toEntries(page.links, types[0], types[1]) };
    if (page.next) body.paging = { next: { after: page.next, link: `?after=${page.next}` } };
    return body;
  });

  app.put('/crm/v4/objects/:from/:id/associations/default/:to/:toId', { config: { sandbox: cfg('write') } }, async (req: FastifyRequest<{ Params: Params }>, reply) => {
    const types = pair(req, reply);
    if (!types) return reply;
    const [from, to] = types;
    const startedAt = now();
    const a = slotOf(req.sandbox.account, from, req.params.id);
    const b = slotOf(req.sandbox.account, to, req.params.toId);
    if (a < 0 || b < 0) return notFound(req, reply, `${a < 0 ? OBJECTS[from].errorName : OBJECTS[to].errorName} ${a < 0 ? req.params.id : req.params.toId} does not exist`, a < 0 ? req.params.id : req.params.toId);
    setAssociation(ctx, req.sandbox.account, from, a, to, b, false);
    const spec = (f: ObjectType, t: ObjectType) => ({ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: ASSOCIATION_TYPES[`${f}>${t}`]!.unlabeled });
    return {
      status: 'COMPLETE',
      results: [
        { from: { id: String(req.params.id) }, to: { id: String(req.params.toId) }, associationSpec: spec(from, to) },
        { from: { id: String(req.params.toId) }, to: { id: String(req.params.id) }, associationSpec: spec(to, from) },
      ],
      startedAt,
      completedAt: now(),
    };
  });

  app.delete('/crm/v4/objects/:from/:id/associations/:to/:toId', { config: { sandbox: cfg('write') } }, async (req: FastifyRequest<{ Params: Params }>, reply) => {
    const types = pair(req, reply);
    if (!types) return reply;
    const a = slotOf(req.sandbox.account, types[0], req.params.id);
    const b = slotOf(req.sandbox.account, types[1], req.params.toId);
    if (a >= 0 && b >= 0) setAssociation(ctx, req.sandbox.account, types[0], a, types[1], b, true);
    return reply.code(204).send();
  });
}
