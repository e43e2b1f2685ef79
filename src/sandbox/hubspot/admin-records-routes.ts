/**
 * Admin record routes in the shape every emulator shares (../core/admin-records.ts): an NDJSON export
 * of a whole collection for equality checks, and record changes that behave like CRM-UI edits (they
 * fire webhooks too, `changeSource: CRM_UI`), plus links between records. A create without properties
 * generates a realistic record; an update without properties "touches" one generated field.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ADMIN, adminError, parse } from '../core/admin-input.js';
import { adminRecordBodies, adminRecordLookups, registerRecordsExport, type AdminRecord } from '../core/admin-records.js';
import type { SandboxAccount } from '../core/store.js';
import type { HubspotContext } from './context.js';
import { generateProperties, touchProperties } from './generate-record.js';
import { OBJECT_TYPES, resolveObjectType, type ObjectType } from './objects.js';
import { fullProps } from './serialize.js';
import { archiveRecord, createRecord, setAssociation, updateRecord } from './writes.js';
import { rememberForSearch } from './search-lag.js';

const SOURCE = 'CRM_UI';

/** A record as the admin API answers it (one NDJSON line of the export). */
function adminRecord(a: SandboxAccount, type: ObjectType, slot: number): AdminRecord {
  const coll = a.data.collections.get(type)!;
  const others = OBJECT_TYPES.filter((t) => t !== type);
  return {
    id: String(coll.ids[slot]),
    createdAt: new Date(coll.created[slot]!).toISOString(),
    updatedAt: new Date(coll.updated[slot]!).toISOString(),
    archived: coll.isArchived(slot),
    properties: fullProps(type, coll, slot),
    associations: Object.fromEntries(others.map((t) => [t, a.data.associations.get(type, slot, t).map((x) => String(a.data.collections.get(t)!.ids[x]))])),
  };
}

export function registerRecordAdmin(app: FastifyInstance, ctx: HubspotContext): void {
  const lookups = adminRecordLookups(ctx.store, resolveObjectType, 'account');
  const { account, typeOf, queryOf: q, accountOfQuery } = lookups;

  registerRecordsExport(app, lookups, (a, type, slot) => adminRecord(a, type, slot));

  app.post('/_sandbox/records/:object', ADMIN, async (req, reply) => {
    const type = typeOf((req.params as { object: string }).object, reply);
    const body = type && parse(adminRecordBodies.create, req.body, reply);
    const a = body && account(body.accountId, reply);
    if (!type || !body || !a) return reply;
    const properties = body.properties ?? generateProperties(a, ctx.store.seed, type, a.data.collections.get(type)!.size);
    const r = createRecord(ctx, a, type, properties, [], SOURCE);
    if (!r.ok) return adminError(reply, r.status, r.category.toLowerCase(), r.message);
    return reply.code(201).send(adminRecord(a, type, r.slot));
  });

  const slotFor = (req: { params: unknown; query: unknown }, reply: FastifyReply) => {
    const p = req.params as { object: string; id: string };
    const type = typeOf(p.object, reply);
    const a = type && account(accountOfQuery(req), reply);
    if (!type || !a) return undefined;
    const slot = a.data.collections.get(type)!.slotOf(Number(p.id));
    if (slot < 0) return void adminError(reply, 404, 'not_found', `${p.object} ${p.id} not found`);
    return { type, a, slot };
  };
  app.patch('/_sandbox/records/:object/:id', ADMIN, async (req, reply) => {
    const found = slotFor(req, reply);
    const body = found && parse(adminRecordBodies.update, req.body, reply);
    if (!found || !body) return reply;
    const coll = found.a.data.collections.get(found.type)!;
    const properties = body.properties ?? touchProperties(found.a, ctx.store.seed, found.type, coll.props(found.slot), coll.updated[found.slot]! % 100_003);
    const r = updateRecord(ctx, found.a, found.type, found.slot, properties, SOURCE);
    return r.ok ? adminRecord(found.a, found.type, found.slot) : adminError(reply, r.status, r.category.toLowerCase(), r.message);
  });
  app.delete('/_sandbox/records/:object/:id', ADMIN, async (req, reply) => {
    const found = slotFor(req, reply);
    if (!found) return reply;
    if (q(req).hard === 'true') {
      found.a.data.associations.removeAll(found.type, found.slot, OBJECT_TYPES.filter((t) => t !== found.type));
      found.a.data.collections.get(found.type)!.hardDelete(found.slot);
    } else archiveRecord(ctx, found.a, found.type, found.slot, SOURCE);
    return reply.code(204).send();
  });
  app.post('/_sandbox/records/:object/:id/restore', ADMIN, async (req, reply) => {
    const found = slotFor(req, reply);
    if (!found) return reply;
    const coll = found.a.data.collections.get(found.type)!;
    if (coll.isArchived(found.slot)) {
      rememberForSearch(ctx, found.a, found.type, found.slot);
      coll.restore(found.slot, ctx.store.clock.now());
      ctx.emit(found.a.id, { kind: 'restore', type: found.type, id: coll.ids[found.slot]!, source: SOURCE });
    }
    return reply.code(204).send();
  });

  const association = (remove: boolean) => async (req: { body: unknown }, reply: FastifyReply) => {
    const body = parse(adminRecordBodies.association, req.body, reply);
    const a = body && account(body.accountId, reply);
    const from = body && typeOf(body.fromType, reply);
    const to = body && from && typeOf(body.toType, reply);
    if (!body || !a || !from || !to) return reply;
    const fromSlot = a.data.collections.get(from)!.slotOf(Number(body.fromId));
    const toSlot = a.data.collections.get(to)!.slotOf(Number(body.toId));
    if (fromSlot < 0 || toSlot < 0) return adminError(reply, 404, 'not_found', 'record not found');
    return { changed: setAssociation(ctx, a, from, fromSlot, to, toSlot, remove, SOURCE) };
  };
  app.put('/_sandbox/associations', ADMIN, association(false));
  app.delete('/_sandbox/associations', ADMIN, association(true));
}
