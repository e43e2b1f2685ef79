/**
 * The API's types, declared once on the server (zod schemas) and imported here as types only, so no
 * server code reaches the bundle.
 */
export type { IntegrationDto, PlatformDto, SyncLogDto } from '../../server/schemas';
export type { PulseEvent } from '../../events/types';
export type { Check as ConnectionCheck } from '../../crm/connection-test';
export type { SyncCounts } from '../../db/sync-logs-repository';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Synced records as `GET /api/contacts|companies|deals` returns them. */
interface RecordBase {
  id: string;
  integrationId: string;
  remoteId: string;
  remoteUpdatedAt: string | null;
  deletedAt: string | null;
}
export interface ContactRecord extends RecordBase {
  firstName: string | null; lastName: string | null; email: string | null; phone: string | null; jobTitle: string | null;
}
export interface CompanyRecord extends RecordBase {
  name: string | null; domain: string | null; industry: string | null; city: string | null; country: string | null;
}
export interface DealRecord extends RecordBase {
  name: string | null; amount: number | string | null; currency: string | null; stage: string | null; pipeline: string | null; closeDate: string | null;
}
export interface RecordsByKind {
  contacts: ContactRecord;
  companies: CompanyRecord;
  deals: DealRecord;
}
export type RecordKind = keyof RecordsByKind;

/** What the OAuth result page posts to the window that opened it (src/server/oauth-result-page.ts). */
export type OAuthResultMessage =
  | { source: 'pulse-crm'; type: 'oauth-result'; ok: true; integrationId: string; reconnected?: boolean }
  | { source: 'pulse-crm'; type: 'oauth-result'; ok: false; reason: string; message: string };
