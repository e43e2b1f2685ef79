import { z } from 'zod';
import { platformIds, type ObjectType } from '../crm/platforms.js';
import { decodeCursor } from '../db/keyset-cursor.js';

/**
 * The API's contract, declared once: routes validate and serialise with these, the OpenAPI
 * document is generated from them, and the web client imports their types.
 */
/**
 * One realistic example on a response schema, checked against it by the compiler. The OpenAPI
 * document shows it on the response's media type (and nested, wherever the schema is reused).
 */
export function withExample<T extends z.ZodType>(schema: T, example: z.output<T>, description?: string): T {
  return schema.meta(description === undefined ? { examples: [example] } : { description, examples: [example] }) as T;
}

/** The example `withExample` attached, to build the examples of schemas that contain this one. */
export function exampleOf<T extends z.ZodType>(schema: T): z.output<T> {
  const example = (schema.meta() as { examples?: unknown[] } | undefined)?.examples?.[0];
  if (example === undefined) throw new Error('schema has no example');
  return example as z.output<T>;
}

export const errorBodySchema = withExample(z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
}), { error: { code: 'not_found', message: 'Integration was not found.' } });

/** Text a person types: PostgreSQL text cannot hold NUL, and no name needs other control characters. */
export const plainText = (field: string, max: number) =>
  z.string().trim().min(1, `${field} cannot be empty`).max(max, `${field} is at most ${max} characters`)
    .refine((value) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value), `${field} cannot contain control characters`);

/** A cursor a previous page returned; anything else is refused here, before it reaches a query. */
export const cursorParam = z.string().max(200).refine((value) => decodeCursor(value) !== null, 'is not a cursor this API returned; start again without it');

/**
 * An instant, as ISO 8601 with a zone. Bounded to what PostgreSQL and the calendar agree on: years
 * 0001–9999 and real-world offsets (±14:00), which JavaScript and zod alone would let through.
 */
export const instantParam = (field: string) => z.iso.datetime({ offset: true, error: `${field} must be an ISO 8601 date-time like 2026-01-31T12:00:00Z` })
  .refine((value) => {
    const offset = /([+-])(\d{2}):?(\d{2})$/.exec(value);
    const withinOffsets = !offset || Number(offset[2]) * 60 + Number(offset[3]) <= 14 * 60;
    return withinOffsets && !value.startsWith('0000') && !Number.isNaN(Date.parse(value));
  }, `${field} must be a real date-time between years 0001 and 9999, with an offset within ±14:00`);

export const idParams = z.object({ id: z.uuid({ error: 'must be a UUID like 0b6f7c1e-2f4a-4c7e-9a55-3f1d2b9e8c10' }) });

export const connectionProblemSchema = z.object({ kind: z.enum(['reconnect', 'retry']), message: z.string(), checkedAt: z.string() });

const exampleIntegrationId = '3f2b8c1a-6d4e-4b7a-9c2e-1a5f0d8e7b64';

export const integrationSchema = withExample(z.object({
  id: z.uuid(),
  platform: z.enum(platformIds),
  displayName: z.string().nullable(),
  status: z.enum(['connected', 'needs_reauth', 'error', 'disabled']),
  isActive: z.boolean(),
  syncEnabled: z.boolean(),
  externalAccountId: z.string().nullable(),
  grantedScopes: z.array(z.string()),
  tokenExpiresAt: z.string().nullable(),
  lastSyncAt: z.string().nullable(),
  lastError: z.string().nullable(),
  settings: z.record(z.string(), z.unknown()),
  connectionProblem: connectionProblemSchema.nullable(),
  retryAt: z.string().nullable().describe('When a sync that an outage of the CRM cut short is tried again by itself (null: none pending)'),
  rateLimitedSince: z.string().nullable().describe('Since when the sync running now has been mostly waiting for the CRM account\'s rate limit: slow, not stuck, and it continues by itself (null: no sync running, or not held back)'),
  realtime: z.object({
    state: z.enum(['off', 'on', 'degraded']).describe('`on`: the CRM pushes changes and Pulse applies them within seconds, the scheduled sync being the safety net (hourly by default); `degraded`: a scheduled sync found changes no push announced, so it runs at the normal interval until pushes arrive again; `off`: no push received yet'),
    lastPushAt: z.string().nullable().describe('When the CRM last pushed a change for this integration'),
  }).describe('Real-time updates through the CRM\'s webhooks'),
  createdAt: z.string(),
  updatedAt: z.string(),
}), {
  id: exampleIntegrationId,
  platform: 'hubspot',
  displayName: 'Sales EU',
  status: 'connected',
  isActive: true,
  syncEnabled: true,
  externalAccountId: '24681357',
  grantedScopes: ['oauth', 'crm.objects.contacts.read', 'crm.objects.companies.read', 'crm.objects.deals.read'],
  tokenExpiresAt: '2026-03-02T10:35:00.000Z',
  lastSyncAt: '2026-03-02T10:05:12.000Z',
  lastError: null,
  settings: { sync_interval_minutes: 15 },
  connectionProblem: null,
  retryAt: null,
  rateLimitedSince: null,
  realtime: { state: 'on', lastPushAt: '2026-03-02T10:21:40.000Z' },
  createdAt: '2026-02-20T09:12:44.000Z',
  updatedAt: '2026-03-02T10:05:12.000Z',
}, 'The integration.');
export type IntegrationDto = z.infer<typeof integrationSchema>;

export const integrationSettingsPatch = z.strictObject({
  sync_interval_minutes: z.int().min(5).max(1440).optional(),
});

export const integrationPatchSchema = z.strictObject({
  displayName: plainText('displayName', 120).nullable().optional(),
  syncEnabled: z.boolean().optional(),
  isActive: z.boolean().optional(),
  settings: integrationSettingsPatch.optional(),
});

export const syncLogSchema = withExample(z.object({
  id: z.uuid(),
  integrationId: z.uuid(),
  syncType: z.enum(['full', 'incremental', 'webhook']).describe('`webhook`: changes the CRM pushed, applied within seconds'),
  status: z.enum(['success', 'failed', 'partial', 'running']),
  recordsSynced: z.number(),
  contactsSynced: z.number(),
  companiesSynced: z.number(),
  dealsSynced: z.number(),
  errors: z.array(z.object({ object: z.string().optional(), code: z.string(), message: z.string(), at: z.string().optional() })),
  errorMessage: z.string().nullable(),
  durationMs: z.number().nullable(),
  requests: z.number(),
  recordsExpected: z.number().nullable(),
  startedAt: z.string(),
  completedAt: z.string().nullable(),
}), {
  id: '8d0e5a3c-1b7f-4e2a-b6c9-5f4d3e2a1c0b',
  integrationId: exampleIntegrationId,
  syncType: 'incremental',
  status: 'success',
  recordsSynced: 42,
  contactsSynced: 30,
  companiesSynced: 7,
  dealsSynced: 5,
  errors: [],
  errorMessage: null,
  durationMs: 3120,
  requests: 9,
  recordsExpected: 42,
  startedAt: '2026-03-02T10:05:09.000Z',
  completedAt: '2026-03-02T10:05:12.000Z',
});
export type SyncLogDto = z.infer<typeof syncLogSchema>;

export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: cursorParam.optional(),
});

export const platformSchema = withExample(z.object({
  id: z.enum(platformIds),
  name: z.string(),
  color: z.string(),
  /** The CRM's own name for each object (a record keyed by an enum has no OpenAPI 3.0 form). */
  objects: z.object({ contacts: z.string(), companies: z.string(), deals: z.string() } satisfies Record<ObjectType, z.ZodString>),
  features: z.array(z.string()),
  tiers: z.array(z.object({ name: z.string(), limits: z.array(z.string()) })),
  scopes: z.array(z.object({ name: z.string(), description: z.string(), required: z.boolean() })),
  setupSteps: z.array(z.string()),
  docsUrl: z.string(),
  available: z.boolean(),
  /** "configured": client credentials are set; "sandbox": the local emulator stands in. */
  credentials: z.enum(['configured', 'sandbox', 'missing']),
  redirectUrl: z.string(),
  /** Where a person may sign in, for CRMs with several hosts (null: one host); the start request's loginHost picks one. */
  loginHosts: z.object({
    options: z.array(z.object({ id: z.string(), label: z.string(), host: z.string() })),
    custom: z.object({ id: z.string(), label: z.string(), placeholder: z.string() }).nullable(),
  }).nullable(),
  realtimeSetup: z.enum(['automatic', 'manual', 'none']).describe('How the CRM comes to push changes: `automatic`, Pulse subscribes on connect; `manual`, the person sets it up in the CRM with the address `GET /api/integrations/{id}/realtime-setup` gives; `none`, changes come with the scheduled sync'),
}), {
  id: 'hubspot',
  name: 'HubSpot',
  color: '#ff7a59',
  objects: { contacts: 'Contacts', companies: 'Companies', deals: 'Deals' },
  features: ['Contacts, companies and deals', 'Incremental sync', 'Webhooks'],
  tiers: [{ name: 'Public OAuth app (any plan)', limits: ['110 requests / 10 s per account', 'Search: 5 requests / s', 'No daily limit'] }],
  scopes: [{ name: 'crm.objects.contacts.read', description: 'Read contacts', required: true }],
  setupSteps: ['Create a public app in your HubSpot developer account', 'Add the redirect URL below to the app\'s Auth settings'],
  docsUrl: 'https://developers.hubspot.com/docs/api/oauth-quickstart-guide',
  available: true,
  credentials: 'configured',
  redirectUrl: 'https://pulse.example.com/crm/oauth/callback',
  loginHosts: null,
  realtimeSetup: 'automatic',
});
export type PlatformDto = z.infer<typeof platformSchema>;

export const realtimeSetupSchema = withExample(z.object({
  name: z.string().describe('The CRM\'s own name for what is set up'),
  objects: z.array(z.string()).describe('The CRM\'s objects to set it up for, as the CRM names them'),
  steps: z.array(z.string()).describe('What to do in the CRM\'s set-up pages, in order'),
  url: z.string().nullable().describe('The address to paste. It holds this connection\'s secret: keep it as private as a password (null: none yet, see `reason`)'),
  reason: z.string().nullable().describe('Why there is no address, when there is none'),
}), {
  name: 'Outbound Message',
  objects: ['Contact', 'Account', 'Opportunity'],
  steps: ['In Salesforce Setup, open Flows and create a Record-Triggered Flow for the object, run when a record is created or updated.'],
  url: 'https://pulse.example.com/crm/webhooks/salesforce/0b6f7c1e-2f4a-4c7e-9a55-3f1d2b9e8c10/q3Jx…',
  reason: null,
}, 'What to set up in the CRM for it to push changes to Pulse.');
export type RealtimeSetupDto = z.infer<typeof realtimeSetupSchema>;

export const connectionCheckSchema = withExample(z.object({
  id: z.string(),
  label: z.string(),
  status: z.enum(['pass', 'warn', 'fail', 'skipped']),
  message: z.string(),
  usage: z.object({ used: z.number(), limit: z.number(), resetsAt: z.string().nullable() }).optional(),
}), {
  id: 'rate-limit',
  label: 'API allowance',
  status: 'pass',
  message: '2,140 of 250,000 daily requests used.',
  usage: { used: 2140, limit: 250000, resetsAt: '2026-03-03T00:00:00.000Z' },
});
export type ConnectionCheckDto = z.infer<typeof connectionCheckSchema>;

/** Synced records as the data API returns them (columns of src/sync/record-tables.ts, camelCased). */
const text = z.string().nullable();
const recordBase = {
  id: z.uuid(),
  integrationId: z.uuid(),
  remoteId: z.string(),
  properties: z.record(z.string(), z.unknown()),
  customFields: z.record(z.string(), z.unknown()).describe('Values of your custom field mappings, by Pulse field name (PUT /api/integrations/{id}/mappings)'),
  remoteCreatedAt: text,
  remoteUpdatedAt: text,
  deletedAt: text,
  updatedAt: z.string(),
};
const recordExampleBase = {
  integrationId: exampleIntegrationId,
  remoteCreatedAt: '2026-01-14T08:21:03.000Z',
  remoteUpdatedAt: '2026-03-01T16:40:11.000Z',
  deletedAt: null,
  updatedAt: '2026-03-02T10:05:12.481236Z',
  ownerId: '83920114',
  customFields: {},
};
export const contactSchema = withExample(z.object({
  ...recordBase, firstName: text, lastName: text, email: text, phone: text, jobTitle: text, ownerId: text,
  companyRemoteIds: z.array(z.string()).nullable(),
}), {
  ...recordExampleBase,
  id: '5c9a2e71-0f3b-4d8e-a1c6-7b2d9e4f6a13',
  remoteId: '51',
  properties: { firstname: 'Maria', lastname: 'Johnson', email: 'maria.johnson@northwind.example', hs_lead_status: 'OPEN' },
  firstName: 'Maria', lastName: 'Johnson', email: 'maria.johnson@northwind.example', phone: '+1 415 555 0142', jobTitle: 'Head of Operations',
  companyRemoteIds: ['9780312'],
});
export const companySchema = withExample(z.object({
  ...recordBase, name: text, domain: text, industry: text, phone: text, city: text, country: text, ownerId: text,
}), {
  ...recordExampleBase,
  id: 'a7e4c2d9-3b15-4f6a-8e0d-2c9b7a1f5e38',
  remoteId: '9780312',
  properties: { name: 'Northwind Traders', domain: 'northwind.example', industry: 'COMPUTER_SOFTWARE' },
  name: 'Northwind Traders', domain: 'northwind.example', industry: 'COMPUTER_SOFTWARE', phone: '+1 415 555 0100', city: 'San Francisco', country: 'United States',
});
export const dealSchema = withExample(z.object({
  ...recordBase, name: text, amount: z.number().nullable(), currency: text, stage: text, pipeline: text, closeDate: text, ownerId: text,
  companyRemoteIds: z.array(z.string()).nullable(), contactRemoteIds: z.array(z.string()).nullable(),
}), {
  ...recordExampleBase,
  id: 'e1b6f3a8-9c24-4d7b-b5e0-4a8c2f6d1e97',
  remoteId: '1204477',
  properties: { dealname: 'Northwind — annual licence', amount: '48000', dealstage: 'contractsent' },
  name: 'Northwind — annual licence', amount: 48000, currency: 'USD', stage: 'contractsent', pipeline: 'default', closeDate: '2026-03-31T00:00:00.000Z',
  companyRemoteIds: ['9780312'], contactRemoteIds: ['51'],
});
export const recordSchemas = { contacts: contactSchema, companies: companySchema, deals: dealSchema } as const;
export type ContactDto = z.infer<typeof contactSchema>;
export type CompanyDto = z.infer<typeof companySchema>;
export type DealDto = z.infer<typeof dealSchema>;

/*
 * Response bodies that wrap the schemas above, each with its example built from theirs. Cursors in
 * the examples are real ones (they decode), so a reader can see what a cursor looks like.
 */
export const integrationListSchema = withExample(z.object({ integrations: z.array(integrationSchema) }), {
  integrations: [exampleOf(integrationSchema)],
}, 'Your integrations, each with its status and last sync.');

export const syncLogPageSchema = withExample(z.object({ items: z.array(syncLogSchema), nextCursor: z.string().nullable() }), {
  items: [exampleOf(syncLogSchema)],
  nextCursor: 'MjAyNi0wMy0wMlQxMDowNTowOS4wMDAwMDBafDhkMGU1YTNjLTFiN2YtNGUyYS1iNmM5LTVmNGQzZTJhMWMwYg',
}, 'A page of sync runs; pass nextCursor as cursor for the next (null on the last page).');

export const platformListSchema = withExample(z.object({ platforms: z.array(platformSchema) }), {
  platforms: [exampleOf(platformSchema)],
}, 'The four CRMs, with what this server can do for each.');

export const connectionTestSchema = withExample(z.object({
  checks: z.array(connectionCheckSchema),
  ok: z.boolean(),
  problem: connectionProblemSchema.omit({ checkedAt: true }).nullable(),
}), { checks: [exampleOf(connectionCheckSchema)], ok: true, problem: null }, 'Each check, and the verdict now kept on the integration.');

export const syncStartedSchema = withExample(z.object({ logId: z.uuid(), joined: z.boolean() }), {
  logId: '8d0e5a3c-1b7f-4e2a-b6c9-5f4d3e2a1c0b', joined: false,
}, 'The run is queued (or already going: joined); follow it by logId.');

export const oauthStartedSchema = withExample(z.object({ beginUrl: z.string(), ticket: z.string(), expiresAt: z.string() }), {
  beginUrl: 'https://pulse.example.com/crm/oauth/begin',
  ticket: 'Yk3J9xQ2mVb7RtY5nLp8sWzA4dF6gH1jK0lM2nB8vC',
  expiresAt: '2026-03-02T10:15:00.000Z',
}, 'Open beginUrl in the sign-in window and post the ticket to it before expiresAt.');

export const recordCountsSchema = withExample(z.object({ contacts: z.number(), companies: z.number(), deals: z.number() }), {
  contacts: 1240, companies: 312, deals: 87,
}, 'Live (not deleted) records per object.');

const recordPageDescription = 'A page of records, oldest change first, deleted ones included (with deletedAt) unless includeDeleted=false; pass nextCursor as cursor for the next (null when caught up).';
const recordCursorExample = 'MjAyNi0wMy0wMlQxMDowNToxMi40ODEyMzZafDVjOWEyZTcxLTBmM2ItNGQ4ZS1hMWM2LTdiMmQ5ZTRmNmExMw';

/** A keyset page of one object's records (the host app's /api/<object>). */
export const recordPageSchemas = {
  contacts: withExample(z.object({ items: z.array(contactSchema), nextCursor: z.string().nullable() }), { items: [exampleOf(contactSchema)], nextCursor: recordCursorExample }, recordPageDescription),
  companies: withExample(z.object({ items: z.array(companySchema), nextCursor: z.string().nullable() }), { items: [exampleOf(companySchema)], nextCursor: recordCursorExample }, recordPageDescription),
  deals: withExample(z.object({ items: z.array(dealSchema), nextCursor: z.string().nullable() }), { items: [exampleOf(dealSchema)], nextCursor: recordCursorExample }, recordPageDescription),
} as const;

const labels = z.record(z.string(), z.string());
const browsePage = <T extends z.ZodObject>(item: T) => z.object({ items: z.array(item.extend({ labels })), total: z.number(), page: z.number(), pageSize: z.number() });

/** A numbered page of one object's records as the data page shows them, with the CRM's labels for coded values. */
export const browsePageSchemas = {
  contacts: withExample(browsePage(contactSchema), { items: [{ ...exampleOf(contactSchema), labels: {} }], total: 1240, page: 1, pageSize: 25 }, 'One numbered page and the total matching.'),
  companies: withExample(browsePage(companySchema), { items: [{ ...exampleOf(companySchema), labels: { industry: 'Computer Software' } }], total: 312, page: 1, pageSize: 25 }, 'One numbered page and the total matching.'),
  deals: withExample(browsePage(dealSchema), { items: [{ ...exampleOf(dealSchema), labels: { stage: 'Contract sent' } }], total: 87, page: 1, pageSize: 25 }, 'One numbered page and the total matching.'),
} as const;

/** A filter's text as the CRM holds it (kept as typed, not trimmed); PostgreSQL's jsonb cannot hold NUL, and no value needs control characters. */
const filterText = z.string().max(1000, 'is at most 1000 characters').refine((value) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value), 'cannot contain control characters');
const filterCondition = z.strictObject({
  field: z.string().min(1).max(200).describe('The CRM field\'s API name (HubSpot internal name, Salesforce API name, Pipedrive key, Zoho api_name).'),
  operator: z.enum(['equals', 'in', 'contains', 'known', 'unknown', 'before', 'after', 'greater', 'less']),
  value: z.union([filterText, z.number(), z.boolean(), z.array(filterText).max(100)]).optional()
    .describe('None for known/unknown; a list for in; an ISO date or instant for before/after; a number for greater/less.'),
});
const recordFilter = z.strictObject({ match: z.enum(['all', 'any']), conditions: z.array(filterCondition).max(50) });
const exampleFilter = { match: 'all' as const, conditions: [{ field: 'lifecyclestage', operator: 'in' as const, value: ['customer', 'opportunity'] }, { field: 'email', operator: 'known' as const }] };

/** Filters per object (PUT and preview): an object left out keeps its filter, null removes it. */
export const filtersBodySchema = z.strictObject({ contacts: recordFilter.nullable().optional(), companies: recordFilter.nullable().optional(), deals: recordFilter.nullable().optional() });

const recordItem = z.record(z.string(), z.unknown());
const objectFilterReport = z.object({
  filter: recordFilter.nullable(),
  appliedAt: z.enum(['crm', 'pulse', 'none']).describe('crm: pushed into the full listing\'s query; pulse: every record is listed and Pulse keeps those that match; none: no filter.'),
  reason: z.string().nullable(),
  crm: z.object({ total: z.number().nullable(), matching: z.number().nullable(), note: z.string().nullable() }),
  listingRequests: z.object({ filtered: z.number().nullable(), unfiltered: z.number().nullable() }),
  local: z.object({ records: z.number(), matching: z.number(), sample: z.array(recordItem) }).optional(),
});
const exampleReport = {
  filter: exampleFilter, appliedAt: 'crm' as const, reason: null, crm: { total: 100_000, matching: 9_870, note: null }, listingRequests: { filtered: 50, unfiltered: 1_000 },
};
const unfilteredReport = { filter: null, appliedAt: 'none' as const, reason: null, crm: { total: 2_400, matching: 2_400, note: null }, listingRequests: { filtered: 24, unfiltered: 24 } };

export const filtersReportSchema = withExample(z.object({ objects: z.object({ contacts: objectFilterReport, companies: objectFilterReport, deals: objectFilterReport }) }), {
  objects: { contacts: exampleReport, companies: unfilteredReport, deals: unfilteredReport },
}, 'Per object: the saved filter, where it is applied, the CRM\'s counts and the listing requests a full sync spends with and without it.');

export const filterPreviewSchema = withExample(z.object({ objects: z.object({ contacts: objectFilterReport, companies: objectFilterReport, deals: objectFilterReport }) }), {
  objects: {
    contacts: { ...exampleReport, local: { records: 1_240, matching: 131, sample: [{ remoteId: '1051', email: 'ada@example.com', firstName: 'Ada' }] } },
    companies: { ...unfilteredReport, local: { records: 312, matching: 312, sample: [] } },
    deals: { ...unfilteredReport, local: { records: 87, matching: 87, sample: [] } },
  },
}, 'What the proposed filters would sync: counted by the CRM where it can count with them, and among the records Pulse holds (with a few of them).');

export const filtersSavedSchema = withExample(z.object({
  filters: z.object({ contacts: recordFilter.nullable(), companies: recordFilter.nullable(), deals: recordFilter.nullable() }),
  fullSync: z.object({ objects: z.array(z.enum(['contacts', 'companies', 'deals'])), logId: z.string().nullable() })
    .describe('Objects whose filter changed are listed in full by this sync run (records that no longer match are removed).'),
}), {
  filters: { contacts: exampleFilter, companies: null, deals: null },
  fullSync: { objects: ['contacts'], logId: '5c9a2e71-0f3b-4d8e-a1c6-7b2d9e4f6a13' },
}, 'The saved filters, and the full sync their change started.');
