/**
 * CRM v3 batch endpoints (read, create, update, archive; at most 100 inputs). Validation failures
 * reject the whole batch with 400; unknown ids answer 207 with the found results plus `errors`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HubspotContext } from './context.js';
import { sendError, validation } from './errors.js';
import { config, typeOf } from './objects-routes.js';
import { OBJECTS, type ObjectType } from './objects.js';
import { serializeRecord } from './serialize.js';
import { archiveRecord, createRecord, updateRecord, type AssociationSpec } from './writes.js';
import { validateWrite } from './properties.js';

const BATCH_MAX = 100;
type Input = { id?: string | number; properties?: Record<string, unknown>; associations?: AssociationSpec[] };
type Req = FastifyRequest<{ Params: { type: string }; Body: { inputs?: Input[]; properties?: string[]; propertiesWithHistory?: string[]; idProperty?: string } }>;

function inputsOf(req: Req, reply: FastifyReply): Input[] | undefined {
  const inputs = req.body?.inputs;
  if (!Array.isArray(inputs)) return void validation(req, reply, 'Invalid input JSON: "inputs" is required');
  if (inputs.length > BATCH_MAX) return void validation(req, reply, `Batch input size ${inputs.length} exceeds the limit of ${BATCH_MAX} inputs.`);
  return inputs;
}

function envelope(startedAt: string, ctx: HubspotContext, results: unknown[], missing: string[], type: ObjectType, verb: string) {
  const body: Record<string, unknown> = { status: 'COMPLETE', results, startedAt, completedAt: new Date(ctx.store.clock.now()).toISOString() };
  if (missing.length === 0) return { code: 200, body };
  body.numErrors = 1;
  body.errors = [
    {
      status: 'error',
      category: 'OBJECT_NOT_FOUND',
      message: `Could not ${verb} some ${OBJECTS[type].errorName} objects, they may be deleted or not exist. Check that ids are valid.`,
      context: { ids: missing },
      errors: [],
      links: {},
    },
  ];
  return { code: 207, body };
}

export function registerBatchRoutes(app: FastifyInstance, ctx: HubspotContext): void {
  const now = () => new Date(ctx.store.clock.now()).toISOString();

  app.post('/crm/v3/objects/:type/batch/read', { config: { sandbox: config('batch', 'read') } }, async (req: Req, reply) => {
    const type = typeOf(req, reply);
    const inputs = type && inputsOf(req, reply);
    if (!type || !inputs) return reply;
    const startedAt = now();
    const coll = req.sandbox.account.data.collections.get(type)!;
    const byEmail = req.body.idProperty === 'email' && type === 'contacts';
    const results: unknown[] = [];
    const missing: string[] = [];
    const opts = { properties: req.body.properties, propertiesWithHistory: req.body.propertiesWithHistory };
    // `?archived=true` is "Whether to return only results that have been archived" (query parameter of
    // POST /crm/v3/objects/{type}/batch/read in HubSpot's CRM object OpenAPI specs): only archived records
    // are found, live ones are reported missing like unknown ids. https://developers.hubspot.com/docs/api/crm/contacts
    const archived = (req.query as { archived?: string } | undefined)?.archived === 'true';
    for (const input of inputs) {
      const raw = String(input.id ?? '');
      const slot = byEmail ? coll.findUnique('email', raw) : /^\d+$/.test(raw) ? coll.slotOf(Number(raw)) : -1;
      if (slot >= 0 && (archived ? coll.isArchived(slot) : coll.isLive(slot))) results.push(serializeRecord(type, req.sandbox.account.data, slot, opts));
      else missing.push(raw);
    }
    const { code, body } = envelope(startedAt, ctx, results, missing, type, 'get');
    return reply.code(code).send(body);
  });

  app.post('/crm/v3/objects/:type/batch/create', { config: { sandbox: config('batch', 'write') } }, async (req: Req, reply) => {
    const type = typeOf(req, reply);
    const inputs = type && inputsOf(req, reply);
    if (!type || !inputs) return reply;
    const startedAt = now();
    const invalid = inputs.find((i) => !i.properties || validateWrite(type, i.properties).length > 0);
    if (invalid) {
      const r = createRecord(ctx, req.sandbox.account, type, invalid.properties);
      return r.ok ? reply : sendError(req, reply, r.status, r.category, r.message);
    }
    const results: unknown[] = [];
    for (const input of inputs) {
      const r = createRecord(ctx, req.sandbox.account, type, input.properties, input.associations ?? []);
      if (!r.ok) return sendError(req, reply, r.status, r.category, r.message);
      results.push(serializeRecord(type, req.sandbox.account.data, r.slot, { properties: [...OBJECTS[type].defaultProperties, ...Object.keys(input.properties!)] }));
    }
    return reply.code(201).send(envelope(startedAt, ctx, results, [], type, 'create').body);
  });

  app.post('/crm/v3/objects/:type/batch/update', { config: { sandbox: config('batch', 'write') } }, async (req: Req, reply) => {
    const type = typeOf(req, reply);
    const inputs = type && inputsOf(req, reply);
    if (!type || !inputs) return reply;
    const startedAt = now();
    const invalid = inputs.find((i) => !i.properties || validateWrite(type, i.properties).length > 0);
    if (invalid) return validation(req, reply, `Property values were not valid: ${JSON.stringify(validateWrite(type, invalid.properties ?? {}))}`);
    const coll = req.sandbox.account.data.collections.get(type)!;
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const input of inputs) {
      const slot = /^\d+$/.test(String(input.id)) ? coll.slotOf(Number(input.id)) : -1;
      if (slot < 0 || !coll.isLive(slot)) {
        missing.push(String(input.id));
        continue;
      }
      const r = updateRecord(ctx, req.sandbox.account, type, slot, input.properties);
      if (!r.ok) return sendError(req, reply, r.status, r.category, r.message);
      results.push(serializeRecord(type, req.sandbox.account.data, slot, { properties: [...OBJECTS[type].defaultProperties, ...Object.keys(input.properties!)] }));
    }
    const { code, body } = envelope(startedAt, ctx, results, missing, type, 'update');
    return reply.code(code).send(body);
  });

  app.post('/crm/v3/objects/:type/batch/archive', { config: { sandbox: config('batch', 'write') } }, async (req: Req, reply) => {
    const type = typeOf(req, reply);
    const inputs = type && inputsOf(req, reply);
    if (!type || !inputs) return reply;
    const coll = req.sandbox.account.data.collections.get(type)!;
    for (const input of inputs) {
      const slot = /^\d+$/.test(String(input.id)) ? coll.slotOf(Number(input.id)) : -1;
      if (slot >= 0) archiveRecord(ctx, req.sandbox.account, type, slot);
    }
    return reply.code(204).send();
  });
}
