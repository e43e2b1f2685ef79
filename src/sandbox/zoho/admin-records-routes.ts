/**
 * Admin record routes in the shape every emulator shares (../core/admin-records.ts), as a Zoho user's
 * edits: a delete goes to the recycle bin (`hard=true`: deleted for good), a link is a lookup edit
 * (so the record holding the lookup gets a new Modified_Time), `PUT /_sandbox/orgs/{id}` moves an
 * org to another data centre or edition.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { ADMIN, adminError, parse } from '../core/admin-input.js';
import { adminRecordBodies, adminRecordLookups, registerRecordsExport, type AdminRecord } from '../core/admin-records.js';
import type { SandboxAccount } from '../core/store.js';
import type { ZohoContext } from './context.js';
import { dataCentre } from './datacentres.js';
import { fromZohoId, toZohoId } from './ids.js';
import { CONCURRENCY, LIMIT_TIERS } from './limits.js';
import { OBJECT_TYPES, resolveObjectType, type ObjectType } from './modules.js';
import { fullRecord } from './serialize.js';
import { generateRecord, touchRecord } from './generate-record.js';
import { archiveRecord, createRecord, restoreRecord, setLookup, updateRecord } from './writes.js';

function adminRecord(a: SandboxAccount, type: ObjectType, slot: number): AdminRecord {
  const coll = a.data.collections.get(type)!;
  const { id, Created_Time, Modified_Time, ...properties } = fullRecord(a, type, slot);
  const others = OBJECT_TYPES.filter((t) => t !== type);
  return {
    id, createdAt: String(Created_Time), updatedAt: String(Modified_Time), archived: coll.isArchived(slot),
    properties: { ...properties, Created_Time, Modified_Time },
    associations: Object.fromEntries(others.map((t) => [t, a.data.associations.get(type, slot, t).map((x) => toZohoId(a.data.collections.get(t)!.ids[x]!))])),
  };
}

export function registerZohoAdmin(app: FastifyInstance, ctx: ZohoContext): void {
  const lookups = adminRecordLookups(ctx.store, resolveObjectType, 'org');
  const { account, typeOf, queryOf: q, accountOfQuery } = lookups;

  registerRecordsExport(app, lookups, (a, type, slot) => adminRecord(a, type, slot));

  app.post('/_sandbox/records/:object', ADMIN, async (req, reply) => {
    const type = typeOf((req.params as { object: string }).object, reply);
    const body = type && parse(adminRecordBodies.create, req.body, reply);
    const a = body && account(body.accountId, reply);
    if (!type || !body || !a) return reply;
    const r = createRecord(ctx, a, type, body.properties ?? generateRecord(a, ctx.store.seed, type, a.data.collections.get(type)!.size));
    return r.ok ? reply.code(201).send(adminRecord(a, type, r.slot)) : adminError(reply, 400, r.code.toLowerCase(), `${r.message}: ${JSON.stringify(r.details)}`);
  });

  const slotFor = (req: { params: unknown; query: unknown }, reply: FastifyReply) => {
    const p = req.params as { object: string; id: string };
    const type = typeOf(p.object, reply);
    const a = type && account(accountOfQuery(req), reply);
    if (!type || !a) return undefined;
    const slot = a.data.collections.get(type)!.slotOf(fromZohoId(p.id));
    if (slot < 0) return void adminError(reply, 404, 'not_found', `${p.object} ${p.id} not found`);
    return { type, a, slot };
  };
  app.patch('/_sandbox/records/:object/:id', ADMIN, async (req, reply) => {
    const found = slotFor(req, reply);
    const body = found && parse(adminRecordBodies.update, req.body, reply);
    if (!found || !body) return reply;
    const r = updateRecord(ctx, found.a, found.type, found.slot, body.properties ?? touchRecord(found.a, found.type, found.slot));
    return r.ok ? adminRecord(found.a, found.type, found.slot) : adminError(reply, 400, r.code.toLowerCase(), r.message);
  });
  app.delete('/_sandbox/records/:object/:id', ADMIN, async (req, reply) => {
    const found = slotFor(req, reply);
    if (!found) return reply;
    if (q(req).hard === 'true') found.a.data.associations.removeAll(found.type, found.slot, OBJECT_TYPES.filter((t) => t !== found.type));
    archiveRecord(ctx, found.a, found.type, found.slot, q(req).hard === 'true');
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
    const fromSlot = a.data.collections.get(from)!.slotOf(fromZohoId(String(body.fromId)));
    const toSlot = a.data.collections.get(to)!.slotOf(fromZohoId(String(body.toId)));
    if (fromSlot < 0 || toSlot < 0) return adminError(reply, 404, 'not_found', 'record not found');
    const changed = setLookup(ctx, a, from, fromSlot, to, toSlot, remove);
    if (changed === undefined) return adminError(reply, 400, 'invalid_input', `Zoho links ${from} and ${to} through no lookup`);
    return { changed };
  };
  app.put('/_sandbox/associations', ADMIN, association(false));
  app.delete('/_sandbox/associations', ADMIN, association(true));

  app.put('/_sandbox/orgs/:id', ADMIN, async (req, reply) => {
    const a = account((req.params as { id: string }).id === 'default' ? undefined : Number((req.params as { id: string }).id), reply);
    const body = a && parse(z.object({ location: z.string().optional(), edition: z.enum(Object.keys(LIMIT_TIERS) as [string, ...string[]]).optional() }), req.body, reply);
    if (!a || !body) return reply;
    if (body.location && !dataCentre(body.location)) return adminError(reply, 400, 'invalid_input', `unknown data centre ${body.location}`);
    const org = ctx.orgs.get(a.id)!;
    if (body.location) org.location = body.location;
    if (body.edition) {
      org.edition = body.edition;
      a.limits = { ...LIMIT_TIERS[body.edition as keyof typeof LIMIT_TIERS] };
    }
    return { id: a.id, ...org, concurrency: CONCURRENCY[org.edition] ?? null };
  });
}
