/**
 * What records point to and what the connection test reads: property definitions, owners, the deal
 * pipeline, account details and daily API usage.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HubspotContext, RouteConfig } from './context.js';
import { notFound, validation } from './errors.js';
import { OBJECTS, resolveObjectType } from './objects.js';
import { DEAL_STAGES, PROPERTIES, type PropertyDef } from './properties.js';
import { parseListCursor, parseLimit } from './query.js';

const PROBABILITY = [0.2, 0.4, 0.6, 0.8, 0.9, 1, 0];
const LABELS = ['Appointment Scheduled', 'Qualified To Buy', 'Presentation Scheduled', 'Decision Maker Bought-In', 'Contract Sent', 'Closed Won', 'Closed Lost'];

const api = (kind: string, scopes: (req: FastifyRequest) => string[]): RouteConfig => ({ kind, scopes, limit: 'api' });
const typeScopes = (req: FastifyRequest) => {
  const type = resolveObjectType((req.params as { type: string }).type);
  return type ? [`crm.schemas.${type}.read`, OBJECTS[type].readScope] : [];
};

/**
 * The label HubSpot shows for an option: its internal value is a code ("COMPUTER_SOFTWARE",
 * "qualifiedtobuy"), its label words ("Computer Software", "Qualified To Buy").
 */
function optionLabel(property: string, value: string, index: number): string {
  if (property === 'dealstage') return LABELS[index] ?? value;
  if (!/^[A-Z0-9_]+$/.test(value)) return value;
  return value.toLowerCase().split('_').map((word, i) => (i > 0 && ['and', 'of', 'the'].includes(word) ? word : word.charAt(0).toUpperCase() + word.slice(1))).join(' ');
}

export function registerMetadataRoutes(app: FastifyInstance, ctx: HubspotContext): void {
  const iso = (ms: number) => new Date(ms).toISOString();
  const defined = iso(ctx.options.anchor - 4 * 365 * 86_400_000);
  const propertyJson = (p: PropertyDef, i: number) => ({
    updatedAt: defined,
    createdAt: defined,
    name: p.name,
    label: p.label,
    type: p.type,
    fieldType: p.fieldType,
    description: '',
    groupName: p.groupName,
    options: (p.options ?? []).map((o, n) => ({ label: optionLabel(p.name, o, n), value: o, displayOrder: n, hidden: false })),
    displayOrder: i,
    calculated: false,
    externalOptions: p.name === 'hubspot_owner_id',
    hasUniqueValue: p.name === 'email' || p.name === 'hs_object_id',
    hidden: false,
    hubspotDefined: !p.custom,
    modificationMetadata: { archivable: false, readOnlyDefinition: true, readOnlyValue: !!p.readOnly },
    formField: !p.readOnly,
  });

  app.get('/crm/v3/properties/:type', { config: { sandbox: api('metadata', typeScopes) } }, async (req: FastifyRequest<{ Params: { type: string } }>, reply) => {
    const type = resolveObjectType(req.params.type);
    if (!type) return validation(req, reply, `Unable to infer object type from: ${req.params.type}`);
    return { results: PROPERTIES[type].map(propertyJson) };
  });

  app.get('/crm/v3/properties/:type/:name', { config: { sandbox: api('metadata', typeScopes) } }, async (req: FastifyRequest<{ Params: { type: string; name: string } }>, reply) => {
    const type = resolveObjectType(req.params.type);
    if (!type) return validation(req, reply, `Unable to infer object type from: ${req.params.type}`);
    const i = PROPERTIES[type].findIndex((p) => p.name === req.params.name);
    return i < 0 ? notFound(req, reply, `Unable to find property ${req.params.name}`) : propertyJson(PROPERTIES[type][i]!, i);
  });

  const ownerJson = (u: { ownerId: number; id: number; email: string; firstName: string; lastName: string }, createdAt: number) => ({
    id: String(u.ownerId),
    email: u.email,
    type: 'PERSON',
    firstName: u.firstName,
    lastName: u.lastName,
    userId: u.id,
    userIdIncludingInactive: u.id,
    createdAt: iso(createdAt),
    updatedAt: iso(createdAt),
    archived: false,
  });
  app.get('/crm/v3/owners', { config: { sandbox: api('metadata', () => ['crm.objects.owners.read']) } }, async (req: FastifyRequest<{ Querystring: Record<string, unknown> }>, reply) => {
    const limit = Math.min(parseLimit(req.query.limit, 100), 500);
    const after = parseListCursor(req.query.after);
    if (Number.isNaN(limit) || Number.isNaN(after)) return validation(req, reply, 'Invalid limit or after');
    const account = req.sandbox.account;
    const email = typeof req.query.email === 'string' ? req.query.email.toLowerCase() : undefined;
    const all = account.users.filter((u) => u.ownerId >= after && (!email || u.email.toLowerCase() === email));
    const page = all.slice(0, limit).map((u) => ownerJson(u, account.createdAt));
    const body: Record<string, unknown> = { results: page };
    if (all.length > limit) body.paging = { next: { after: String(all[limit]!.ownerId), link: `?after=${all[limit]!.ownerId}` } };
    return body;
  });
  app.get('/crm/v3/owners/:ownerId', { config: { sandbox: api('metadata', () => ['crm.objects.owners.read']) } }, async (req: FastifyRequest<{ Params: { ownerId: string } }>, reply) => {
    const u = req.sandbox.account.users.find((x) => String(x.ownerId) === req.params.ownerId);
    return u ? ownerJson(u, req.sandbox.account.createdAt) : notFound(req, reply);
  });

  const pipeline = () => ({
    label: 'Sales Pipeline',
    displayOrder: 0,
    id: 'default',
    stages: DEAL_STAGES.map((id, i) => ({
      label: LABELS[i],
      displayOrder: i,
      metadata: { isClosed: String(id.startsWith('closed')), probability: String(PROBABILITY[i]) },
      id,
      createdAt: defined,
      updatedAt: defined,
      archived: false,
      writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
    })),
    createdAt: defined,
    updatedAt: defined,
    archived: false,
  });
  const pipelineScopes = (req: FastifyRequest) => {
    const type = resolveObjectType((req.params as { type: string }).type);
    return type ? [OBJECTS[type].readScope] : [];
  };
  app.get('/crm/v3/pipelines/:type', { config: { sandbox: api('metadata', pipelineScopes) } }, async (req: FastifyRequest<{ Params: { type: string } }>, reply) => {
    const type = resolveObjectType(req.params.type);
    if (type !== 'deals') return validation(req, reply, `Pipelines are not supported for object type ${req.params.type}`);
    return { results: [pipeline()] };
  });
  app.get('/crm/v3/pipelines/:type/:pipelineId', { config: { sandbox: api('metadata', pipelineScopes) } }, async (req: FastifyRequest<{ Params: { type: string; pipelineId: string } }>, reply) => {
    const type = resolveObjectType(req.params.type);
    return type === 'deals' && req.params.pipelineId === 'default' ? pipeline() : notFound(req, reply);
  });

  app.get('/account-info/v3/details', { config: { sandbox: api('account', () => ['oauth']) } }, async (req) => {
    const a = req.sandbox.account;
    return { portalId: a.id, accountType: 'STANDARD', timeZone: a.timeZone, companyCurrency: a.currency, additionalCurrencies: [], utcOffset: '+00:00', utcOffsetMilliseconds: 0, uiDomain: 'app.hubspot.com', dataHostingLocation: 'na1' };
  });
  app.get('/account-info/v3/api-usage/daily/private-apps', { config: { sandbox: api('account', () => ['oauth']) } }, async (req) => {
    const a = req.sandbox.account;
    if (a.limits.dailyMax === null) return { results: [] };
    const day = ctx.limiter.daily(`${a.id}:daily`, a.limits.dailyMax, false);
    const now = ctx.store.clock.now();
    return { results: [{ name: 'api-calls-daily', usageLimit: a.limits.dailyMax, currentUsage: day.used, collectedAt: iso(now), fetchStatus: 'SUCCESS', resetsAt: iso(day.resetsAt) }] };
  });
}
