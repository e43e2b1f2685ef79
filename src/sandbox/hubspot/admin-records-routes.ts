/**
 * Admin record routes: an NDJSON export of a whole collection for equality checks, and record changes
 * that behave like CRM-UI edits (they fire webhooks too), plus links between records.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { ADMIN, adminError, parse } from '../core/admin-input.js';
import type { SandboxAccount } from '../core/store.js';
import type { HubspotContext } from './context.js';
import { OBJECT_TYPES, resolveObjectType, type ObjectType } from './objects.js';
import { fullProps } from './serialize.js';
import { archiveRecord, createRecord, setAssociation, updateRecord } from './writes.js';
import { rememberForSearch } from './search-lag.js';

const accountRef = z.object({ accountId: z.number().int().optional() });
const assocSchema = accountRef.extend({ fromType: z.string(), fromId: z.union([z.string(), z.number()]), toType: z.string(), toId: z.union([z.string(), z.number()]) });
const SOURCE = 'CRM_UI';

export function registerRecordAdmin(app: FastifyInstance, ctx: HubspotContext): void {
  const account = (id: number | undefined, reply: FastifyReply): SandboxAccount | undefined => {
    const a = ctx.store.account(id);
    if (!a) adminError(reply, 404, 'not_found', `unknown account ${id}`);
    return a;
  };
  const typeOf = (name: string, reply: FastifyReply): ObjectType | undefined => {
    const t = resolveObjectType(name);
    if (!t) adminError(reply, 400, 'invalid_input', `unknown object type ${name}; one of ${OBJECT_TYPES.join(', ')}`);
    return t;
  };
  const q = (req: { query: unknown }) => req.query as Record<string, string | undefined>;
  const accountOfQuery = (req: { query: unknown }) => (q(req).accountId ? Number(q(req).accountId) : undefined);

  app.get('/_sandbox/records/:type', ADMIN, async (req, reply) => {
    const type = typeOf((req.params as { type: string }).type, reply);
    const a = type && account(accountOfQuery(req), reply);
    if (!type || !a) return reply;
    const which = q(req).archived ?? 'false';
    const coll = a.data.collections.get(type)!;
    const others = OBJECT_TYPES.filter((t) => t !== type);
    reply.type('application/x-ndjson');
    // Streamed in chunks so a million-record export neither blocks the loop for long nor buffers it all.
    async function* lines() {
      let chunk = '';
      for (let s = 0; s < coll.size; s++) {
        const archived = coll.isArchived(s);
        if (!coll.isLive(s) && !archived) continue;
        if ((which === 'true' && !archived) || (which === 'false' && archived)) continue;
        const associations = Object.fromEntries(others.map((t) => [t, a!.data.associations.get(type!, s, t).map((x) => String(a!.data.collections.get(t)!.ids[x]))]));
        chunk += `${JSON.stringify({ id: String(coll.ids[s]), updatedAt: new Date(coll.updated[s]!).toISOString(), archived, properties: fullProps(type!, coll, s), associations })}\n`;
        if (chunk.length > 256_000) {
          yield chunk;
          chunk = '';
          await new Promise((r) => setImmediate(r));
        }
      }
      if (chunk) yield chunk;
    }
    return reply.send(Readable.from(lines()));
  });

  app.post('/_sandbox/records/:type', ADMIN, async (req, reply) => {
    const type = typeOf((req.params as { type: string }).type, reply);
    const body = type && parse(accountRef.extend({ properties: z.record(z.string(), z.unknown()) }), req.body, reply);
    const a = body && account(body.accountId, reply);
    if (!type || !body || !a) return reply;
    const r = createRecord(ctx, a, type, body.properties, [], SOURCE);
    if (!r.ok) return adminError(reply, r.status, r.category.toLowerCase(), r.message);
    return reply.code(201).send({ id: String(a.data.collections.get(type)!.ids[r.slot]) });
  });

  const slotFor = (req: { params: unknown; query: unknown }, reply: FastifyReply) => {
    const p = req.params as { type: string; id: string };
    const type = typeOf(p.type, reply);
    const a = type && account(accountOfQuery(req), reply);
    if (!type || !a) return undefined;
    const slot = a.data.collections.get(type)!.slotOf(Number(p.id));
    if (slot < 0) return void adminError(reply, 404, 'not_found', `${p.type} ${p.id} not found`);
    return { type, a, slot };
  };
  app.patch('/_sandbox/records/:type/:id', ADMIN, async (req, reply) => {
    const found = slotFor(req, reply);
    const body = found && parse(z.object({ properties: z.record(z.string(), z.unknown()) }), req.body, reply);
    if (!found || !body) return reply;
    const r = updateRecord(ctx, found.a, found.type, found.slot, body.properties, SOURCE);
    return r.ok ? { id: (req.params as { id: string }).id } : adminError(reply, r.status, r.category.toLowerCase(), r.message);
  });
  app.delete('/_sandbox/records/:type/:id', ADMIN, async (req, reply) => {
    const found = slotFor(req, reply);
    if (!found) return reply;
    if (q(req).hard === 'true') {
      found.a.data.associations.removeAll(found.type, found.slot, OBJECT_TYPES.filter((t) => t !== found.type));
      found.a.data.collections.get(found.type)!.hardDelete(found.slot);
    } else archiveRecord(ctx, found.a, found.type, found.slot, SOURCE);
    return reply.code(204).send();
  });
  app.post('/_sandbox/records/:type/:id/restore', ADMIN, async (req, reply) => {
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
    const body = parse(assocSchema, req.body, reply);
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
