/**
 * The API's types, declared once on the server (zod schemas) and imported here as types only, so no
 * server code reaches the bundle.
 */
export type { IntegrationDto, PlatformDto, RealtimeSetupDto, SyncLogDto } from '../../server/schemas';
export type { PulseEvent } from '../../events/types';
export type { ConnectionCheckDto as ConnectionCheck } from '../../server/schemas';
export type { SyncCounts } from '../../events/types';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Synced records as `GET /api/contacts|companies|deals` returns them. */
export type { ContactDto as ContactRecord, CompanyDto as CompanyRecord, DealDto as DealRecord } from '../../server/schemas';
import type { ContactDto as ContactRecord, CompanyDto as CompanyRecord, DealDto as DealRecord } from '../../server/schemas';
export interface RecordsByKind {
  contacts: ContactRecord;
  companies: CompanyRecord;
  deals: DealRecord;
}
export type RecordKind = keyof RecordsByKind;

/** A record as the data page browses it: with the CRM's labels for its coded values. */
export type BrowsedRecord<K extends RecordKind> = RecordsByKind[K] & { labels: Record<string, string> };
export interface BrowsePage<K extends RecordKind> {
  items: BrowsedRecord<K>[];
  total: number;
  page: number;
  pageSize: number;
}

/** What the OAuth result page posts to the window that opened it (src/server/oauth-result-page.ts). */
export type OAuthResultMessage =
  | { source: 'pulse-crm'; type: 'oauth-result'; ok: true; integrationId: string; reconnected?: boolean }
  | { source: 'pulse-crm'; type: 'oauth-result'; ok: false; reason: string; message: string };

/* Selective sync (#16): filters per object, what each costs and what a proposal would sync. */
import type { z } from 'zod';
import type { filterPreviewSchema, filtersReportSchema, filtersSavedSchema } from '../../server/schemas';
export type { FilterCondition, RecordFilter } from '../../crm/connector';
export type FilterOperator = import('../../crm/connector').FilterCondition['operator'];
/** Per object: the saved filter, where it is applied, the CRM's counts and the listing requests with and without it. */
export type FiltersReport = z.infer<typeof filtersReportSchema>;
/** One object's report; a preview's also holds `local` (Pulse's records that match, with a few of them). */
export type ObjectFilterReport = FiltersReport['objects'][RecordKind];
export type FilterPreview = z.infer<typeof filterPreviewSchema>;
export type FiltersSaved = z.infer<typeof filtersSavedSchema>;
/** PUT and preview bodies: an object left out keeps its filter, null removes it. */
export type FiltersBody = Partial<Record<RecordKind, import('../../crm/connector').RecordFilter | null>>;

// --- Custom field mappings (#16) -------------------------------------------------------------
import type {
  crmFieldSchema, mappingInputSchema, mappingsPreviewSchema, mappingsSavedSchema, mappingsSchema,
} from '../../server/field-mapping-schemas';
/** One CRM field as `GET /api/integrations/:id/fields` describes it. */
export type CrmField = z.infer<typeof crmFieldSchema>;
export type PulseFieldType = CrmField['type'];
/** A custom mapping as the page edits and sends it. */
export type MappingInput = z.infer<typeof mappingInputSchema>;
export type FieldMappingsDto = z.infer<typeof mappingsSchema>;
export type MappingsSaved = z.infer<typeof mappingsSavedSchema>;
export type MappingsPreview = z.infer<typeof mappingsPreviewSchema>;
