/**
 * Admin record routes in the shape every emulator shares (../core/admin-records.ts): `properties`
 * are the record as the REST API returns it, associations are AccountId (contact/opportunity →
 * account) and contact roles (opportunity ↔ contact). Edits behave as a user's saves in the UI.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ADMIN, adminError, parse } from '../core/admin-input.js';
import { adminRecordBodies, adminRecordLookups, registerRecordsExport, type AdminRecord } from '../core/admin-records.js';
import type { SandboxAccount } from '../core/store.js';
import type { SalesforceContext } from './context.js';
import { generateFields, touchFields } from './generate.js';
import { numericId, OBJECT_TYPES, resolveObjectType, SOBJECTS, sfId, type ObjectType } from './objects.js';
import { remember } from './commit-lag.js';
import { createRecord, deleteRecord, recordRow, setLink, undeleteRecord, updateRecord } from './records.js';

function adminRecord(a: SandboxAccount, type: ObjectType, slot: number): AdminRecord {
  const coll = a.data.collections.get(type)!;
  const { attributes: _attributes, ...properties } = recordRow(a, type, slot);
  return {
    id: sfId(SOBJECTS[type].keyPrefix, coll.ids[slot]!),
    createdAt: new Date(coll.created[slot]!).toISOString(),
    updatedAt: new Date(coll.updated[slot]!).toISOString(),
    archived: coll.isArchived(slot),
    properties,
    associations: Object.fromEntries(OBJECT_TYPES.filter((t) => t !== type).map((t) => [t, a.data.associations.get(type, slot, t).map((x) => sfId(SOBJECTS[t].keyPrefix, a.data.collections.get(t)!.ids[x]!))])),
  };
}

export function registerRecordAdmin(app: FastifyInstance, ctx: SalesforceContext): void {
  const lookups = adminRecordLookups(ctx.store, resolveObjectType, 'account');
  const { account, typeOf, queryOf: q, accountOfQuery } = lookups;
  const slotOf = (a: SandboxAccount, type: ObjectType, id: string | number) => {
    const n = typeof id === 'number' ? id : numericId(SOBJECTS[type].keyPrefix, id) >= 0 ? numericId(SOBJECTS[type].keyPrefix, id) : Number(id);
    return a.data.collections.get(type)!.slotOf(n);
  };

  registerRecordsExport(app, lookups, (a, type, slot) => adminRecord(a, type, slot));

  app.post('/_sandbox/records/:object', ADMIN, async (req, reply) => {
    const type = typeOf((req.params as { object: string }).object, reply);
    const body = type && parse(adminRecordBodies.create, req.body, reply);
    const a = body && account(body.accountId, reply);
    if (!type || !body || !a) return reply;
    const fields = body.properties ?? generateFields(a, ctx.store.seed, type, a.data.collections.get(type)!.size);
    const r = createRecord(ctx, a, type, fields);
    if (!r.ok) return adminError(reply, r.status, r.errorCode.toLowerCase(), r.message);
    return reply.code(201).send(adminRecord(a, type, r.slot));
  });

  const found = (req: { params: unknown; query: unknown }, reply: FastifyReply) => {
    const p = req.params as { object: string; id: string };
    const type = typeOf(p.object, reply);
    const a = type && account(accountOfQuery(req), reply);
    if (!type || !a) return undefined;
    const slot = slotOf(a, type, p.id);
    if (slot < 0) return void adminError(reply, 404, 'not_found', `${p.object} ${p.id} not found`);
    return { type, a, slot };
  };
  app.patch('/_sandbox/records/:object/:id', ADMIN, async (req, reply) => {
    const f = found(req, reply);
    const body = f && parse(adminRecordBodies.update, req.body, reply);
    if (!f || !body) return reply;
    const coll = f.a.data.collections.get(f.type)!;
    const fields = body.properties ?? touchFields(f.a, ctx.store.seed, f.type, coll.props(f.slot), coll.updated[f.slot]! % 100_003);
    const r = updateRecord(ctx, f.a, f.type, f.slot, fields);
    return r.ok ? adminRecord(f.a, f.type, f.slot) : adminError(reply, r.status, r.errorCode.toLowerCase(), r.message);
  });
  app.delete('/_sandbox/records/:object/:id', ADMIN, async (req, reply) => {
    const f = found(req, reply);
    if (!f) return reply;
    if (q(req).hard === 'true') {
      remember(ctx, f.a, f.type, f.slot, recordRow(f.a, f.type, f.slot));
      f.a.data.associations.removeAll(f.type, f.slot, OBJECT_TYPES.filter((t) => t !== f.type));
      f.a.data.collections.get(f.type)!.hardDelete(f.slot);
    } else deleteRecord(ctx, f.a, f.type, f.slot);
    return reply.code(204).send();
  });
  app.post('/_sandbox/records/:object/:id/restore', ADMIN, async (req, reply) => {
    const f = found(req, reply);
    if (!f) return reply;
    undeleteRecord(ctx, f.a, f.type, f.slot);
    return reply.code(204).send();
  });

  const association = (remove: boolean) => async (req: { body: unknown }, reply: FastifyReply) => {
    const body = parse(adminRecordBodies.association, req.body, reply);
    const a = body && account(body.accountId, reply);
    const from = body && typeOf(body.fromType, reply);
    const to = body && from && typeOf(body.toType, reply);
    if (!body || !a || !from || !to) return reply;
    if (from === to) return adminError(reply, 400, 'invalid_input', 'Salesforce links records of different objects only');
    const fromSlot = slotOf(a, from, body.fromId);
    const toSlot = slotOf(a, to, body.toId);
    if (fromSlot < 0 || toSlot < 0) return adminError(reply, 404, 'not_found', 'record not found');
    return { changed: setLink(ctx, a, from, fromSlot, to, toSlot, remove) };
  };
  app.put('/_sandbox/associations', ADMIN, association(false));
  app.delete('/_sandbox/associations', ADMIN, association(true));
}
