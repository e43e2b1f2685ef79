/** Everything a Salesforce route needs: the core context plus Salesforce's own state. */
import type { CoreOptions, EmulatorContext } from '../core/context.js';
import type { Dataset } from '../core/store.js';
import type { OutboundState } from './outbound-messages.js';

export interface SalesforceOptions extends CoreOptions {
  anchor: number;
  /** How long a write stays invisible to SOQL after its SystemModstamp (see README "commit lag"). */
  commitLagMs: number;
  /** Refresh-token rotation: each refresh answers a new refresh token and revokes the old one. */
  rotateRefreshTokens: boolean;
  /** Bulk API 2.0 query jobs an org may create per rolling 24 h. */
  dailyBulkQueryJobs: number;
}

/** A SOQL result kept for `nextRecordsUrl`: the rows not yet returned, and when it was last read. */
export interface QueryLocator {
  rows: Record<string, unknown>[];
  position: number;
  batchSize: number;
  touchedAt: number;
  accountId: number;
}

export interface SalesforceContext extends EmulatorContext {
  options: SalesforceOptions;
  locators: Map<string, QueryLocator>;
  /** Per dataset: contact roles and the per-record histories the commit lag reads. */
  extras: WeakMap<Dataset, DatasetExtras>;
  nextLocator: number;
  /** The origin clients call (login host and instance are one origin here); set from each request. */
  origin: string;
  /** Outbound messages set up in "Setup" (outbound-messages.ts) and the notifications they owe. */
  outbound: OutboundState;
}

/** An OpportunityContactRole made or removed after seeding (seeded ones are derived from the links). */
export interface ContactRole {
  id: number;
  deal: number;
  contact: number;
  created: number;
  modstamp: number;
  deleted: boolean;
}

export interface DatasetExtras {
  roles: Map<string, ContactRole>;
  nextRoleId: number;
  /** type → slot → versions before writes still inside the commit lag. */
  history: Map<string, Map<number, { at: number; before: Record<string, unknown> | null }[]>>;
}

export function extrasOf(ctx: SalesforceContext, data: Dataset): DatasetExtras {
  let extras = ctx.extras.get(data);
  if (!extras) ctx.extras.set(data, (extras = { roles: new Map(), nextRoleId: 90_000_001, history: new Map() }));
  return extras;
}
