/**
 * The admin record routes in the shape every emulator shares (../core/admin-records.ts): the NDJSON
 * export (properties exactly as the v2 API returns them), edits that behave like a Pipedrive user's
 * (they fire webhooks with `change_source: app`) and links. A DELETE is Pipedrive's soft delete.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { ADMIN, adminError, parse } from '../core/admin-input.js';
import { adminRecordBodies, adminRecordLookups, registerRecordsExport, type AdminRecord } from '../core/admin-records.js';
import type { SandboxAccount } from '../core/store.js';
import type { PipedriveContext } from './context.js';
import { generateProperties, touchProperties } from './generate.js';
import { OBJECTS, OBJECT_TYPES, resolveObjectType, type ObjectType } from './objects.js';
import { collectionOf, parseWrite, serialize, toSeconds } from './serialize.js';
import { createRecord, deleteRecord, isPurged, restoreRecord, setLink, updateRecord } from './writes.js';

function adminRecord(ctx: PipedriveContext, a: SandboxAccount, type: ObjectType, slot: number): AdminRecord {
  const coll = collectionOf(a, type);
  const associations: AdminRecord['associations'] = {};
  for (const other of OBJECT_TYPES) {
    if (other === type) continue;
    associations[other] = a.data.associations.get(type, slot, other).filter((s) => !isPurged(ctx, a, other, s)).map((s) => String(collectionOf(a, other).ids[s]));
  }
  return {
    id: String(coll.ids[slot]),
    createdAt: new Date(toSeconds(coll.created[slot]!)).toISOString(),
    updatedAt: new Date(toSeconds(coll.updated[slot]!)).toISOString(),
    archived: coll.isArchived(slot),
    properties: serialize(a, type, slot),
    associations,
  };
}

export function registerAdminRoutes(app: FastifyInstance, ctx: PipedriveContext): void {
  const lookups = adminRecordLookups(ctx.store, resolveObjectType, 'account');
  const { account, typeOf, queryOf: q, accountOfQuery } = lookups;

  registerRecordsExport(app, lookups, (a, type, slot) => (isPurged(ctx, a, type, slot) ? null : adminRecord(ctx, a, type, slot)));

  app.post('/_sandbox/records/:object', ADMIN, async (req, reply) => {
    const type = typeOf((req.params as { object: string }).object, reply);
    const body = type && parse(adminRecordBodies.create, req.body, reply);
    const a = body && account(body.accountId, reply);
    if (!type || !body || !a) return reply;
    const write = body.properties ? parseWrite(type, body.properties) : { props: generateProperties(ctx.store.seed, type, collectionOf(a, type).size), links: {} };
    if (typeof write === 'string') return adminError(reply, 400, 'invalid_input', write);
    const r = createRecord(ctx, a, type, write, 'app');
    if (!r.ok) return adminError(reply, r.status, 'invalid_input', r.message);
    return reply.code(201).send(adminRecord(ctx, a, type, r.slot));
  });

  const slotFor = (req: { params: unknown; query: unknown }, reply: FastifyReply) => {
    const p = req.params as { object: string; id: string };
    const type = typeOf(p.object, reply);
    const a = type && account(accountOfQuery(req), reply);
    if (!type || !a) return undefined;
    const slot = collectionOf(a, type).slotOf(Number(p.id));
    if (slot < 0 || isPurged(ctx, a, type, slot)) return void adminError(reply, 404, 'not_found', `${p.object} ${p.id} not found`);
    return { type, a, slot };
  };

  app.patch('/_sandbox/records/:object/:id', ADMIN, async (req, reply) => {
    const found = slotFor(req, reply);
    const body = found && parse(adminRecordBodies.update, req.body, reply);
    if (!found || !body) return reply;
    const coll = collectionOf(found.a, found.type);
    const write = body.properties ? parseWrite(found.type, body.properties) : { props: touchProperties(found.type, coll.props(found.slot), coll.updated[found.slot]! % 100_003), links: {} };
    if (typeof write === 'string') return adminError(reply, 400, 'invalid_input', write);
    const r = updateRecord(ctx, found.a, found.type, found.slot, write, 'app');
    return r.ok ? adminRecord(ctx, found.a, found.type, found.slot) : adminError(reply, r.status, 'invalid_input', r.message);
  });

  app.delete('/_sandbox/records/:object/:id', ADMIN, async (req, reply) => {
    const found = slotFor(req, reply);
    if (!found) return reply;
    if (q(req).hard === 'true') {
      found.a.data.associations.removeAll(found.type, found.slot, OBJECT_TYPES.filter((t) => t !== found.type));
      collectionOf(found.a, found.type).hardDelete(found.slot);
    } else deleteRecord(ctx, found.a, found.type, found.slot, 'app');
    return reply.code(204).send();
  });

  app.post('/_sandbox/records/:object/:id/restore', ADMIN, async (req, reply) => {
    const found = slotFor(req, reply);
    if (!found) return reply;
    restoreRecord(ctx, found.a, found.type, found.slot);
    return reply.code(204).send();
  });

  const association = (remove: boolean) => async (req: { body: unknown }, reply: FastifyReply) => {
    const body = parse(adminRecordBodies.association, req.body, reply);
    const a = body && account(body.accountId, reply);
    const from = body && typeOf(body.fromType, reply);
    const to = body && from && typeOf(body.toType, reply);
    if (!body || !a || !from || !to) return reply;
    if (!OBJECTS[from].links[to] && !OBJECTS[to].links[from]) return adminError(reply, 400, 'invalid_input', `Pipedrive links no ${from} to ${to}`);
    const fromSlot = collectionOf(a, from).slotOf(Number(body.fromId));
    const toSlot = collectionOf(a, to).slotOf(Number(body.toId));
    if (fromSlot < 0 || toSlot < 0) return adminError(reply, 404, 'not_found', 'record not found');
    return { changed: setLink(ctx, a, from, fromSlot, to, toSlot, remove) };
  };
  app.put('/_sandbox/associations', ADMIN, association(false));
  app.delete('/_sandbox/associations', ADMIN, association(true));
}

/** `GET/PUT /_sandbox/settings { listingLagMs?, listLatencyMsPerRecord? }`: the realism switches. */
export function registerSettingsAdmin(app: FastifyInstance, ctx: PipedriveContext): void {
  const current = () => ({ listingLagMs: ctx.options.listingLagMs, listLatencyMsPerRecord: ctx.options.listLatencyMsPerRecord });
  app.get('/_sandbox/settings', ADMIN, async () => current());
  app.put('/_sandbox/settings', ADMIN, async (req, reply) => {
    const body = parse(z.object({ listingLagMs: z.number().min(0).optional(), listLatencyMsPerRecord: z.number().min(0).max(100).optional(), searchLagMs: z.number().min(0).optional() }), req.body, reply);
    if (!body) return reply;
    ctx.options.listingLagMs = body.listingLagMs ?? body.searchLagMs ?? ctx.options.listingLagMs;
    ctx.options.listLatencyMsPerRecord = body.listLatencyMsPerRecord ?? ctx.options.listLatencyMsPerRecord;
    return current();
  });
}
