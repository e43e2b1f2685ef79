import { z } from 'zod';
import { objectTypes, platformIds } from '../crm/platforms.js';
import { decodeCursor } from '../db/keyset-cursor.js';

/**
 * The API's contract, declared once: routes validate and serialise with these, the OpenAPI
 * document is generated from them, and the web client imports their types.
 */
export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

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

export const integrationSchema = z.object({
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
  createdAt: z.string(),
  updatedAt: z.string(),
});
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

export const syncLogSchema = z.object({
  id: z.uuid(),
  integrationId: z.uuid(),
  syncType: z.enum(['full', 'incremental']),
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
});
export type SyncLogDto = z.infer<typeof syncLogSchema>;

export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: cursorParam.optional(),
});

export const platformSchema = z.object({
  id: z.enum(platformIds),
  name: z.string(),
  color: z.string(),
  objects: z.record(z.enum(objectTypes), z.string()),
  features: z.array(z.string()),
  tiers: z.array(z.object({ name: z.string(), limits: z.array(z.string()) })),
  scopes: z.array(z.object({ name: z.string(), description: z.string(), required: z.boolean() })),
  setupSteps: z.array(z.string()),
  docsUrl: z.string(),
  available: z.boolean(),
  /** "configured": client credentials are set; "sandbox": the local emulator stands in. */
  credentials: z.enum(['configured', 'sandbox', 'missing']),
  redirectUrl: z.string(),
});
export type PlatformDto = z.infer<typeof platformSchema>;

export const connectionCheckSchema = z.object({
  id: z.string(),
  label: z.string(),
  status: z.enum(['pass', 'warn', 'fail', 'skipped']),
  message: z.string(),
  usage: z.object({ used: z.number(), limit: z.number(), resetsAt: z.string().nullable() }).optional(),
});
export type ConnectionCheckDto = z.infer<typeof connectionCheckSchema>;

/** Synced records as the data API returns them (columns of src/sync/record-tables.ts, camelCased). */
const text = z.string().nullable();
const recordBase = {
  id: z.uuid(),
  integrationId: z.uuid(),
  remoteId: z.string(),
  properties: z.record(z.string(), z.unknown()),
  remoteCreatedAt: text,
  remoteUpdatedAt: text,
  deletedAt: text,
  updatedAt: z.string(),
};
export const contactSchema = z.object({
  ...recordBase, firstName: text, lastName: text, email: text, phone: text, jobTitle: text, ownerId: text,
  companyRemoteIds: z.array(z.string()).nullable(),
});
export const companySchema = z.object({
  ...recordBase, name: text, domain: text, industry: text, phone: text, city: text, country: text, ownerId: text,
});
export const dealSchema = z.object({
  ...recordBase, name: text, amount: z.number().nullable(), currency: text, stage: text, pipeline: text, closeDate: text, ownerId: text,
  companyRemoteIds: z.array(z.string()).nullable(), contactRemoteIds: z.array(z.string()).nullable(),
});
export const recordSchemas = { contacts: contactSchema, companies: companySchema, deals: dealSchema } as const;
export type ContactDto = z.infer<typeof contactSchema>;
export type CompanyDto = z.infer<typeof companySchema>;
export type DealDto = z.infer<typeof dealSchema>;
