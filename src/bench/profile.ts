import { objectTypes, type ObjectType } from '../crm/platforms.js';

/**
 * What the sync bench needs to know about one CRM, beyond what the emulators' shared admin API
 * already says (records, counts, limit tiers and their usage): the fewest requests its API allows
 * for a full listing, the plain-fetch ceiling (its list pages read the simplest way a client can),
 * which of its emulator's limit tiers is the realistic limited scenario, and what only it has to
 * say in the report. Each CRM's profile lives in its own folder (`src/crm/<id>/bench.ts`) and is
 * listed in `profiles.ts`.
 */
export interface ChangeCounts { creates: number; updates: number; deletes: number }

export type RecordCounts = Record<ObjectType, number>;

/** What a full listing has to read: live records per object and links per (object, linked object). */
export interface World {
  counts: RecordCounts;
  links: Record<ObjectType, Partial<Record<ObjectType, number>>>;
}

export interface FetchCeiling {
  requests: number;
  records: number;
  /** Time spent checking pages against the connector's response schema, left out of the ceiling. */
  checkMs: number;
}

export interface BenchVariant {
  /** Appended to the scenario's label, e.g. "REST only". */
  label: string;
  /** Set-up of the emulator through its admin API before the full sync (e.g. a fault that steers the connector). */
  prepare(admin: AdminCall): Promise<void>;
  /** The fewest requests this variant's listing allows. */
  minimumRequests(world: World): number;
}

export type AdminCall = <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;

export interface BenchProfile {
  /** The fewest requests a full listing of this world needs at the API's largest pages. */
  minimumRequests(world: World): number;
  /** The most requests an incremental sync of these changes should take, and that rule in words. */
  incrementalMaxRequests(changes: Record<ObjectType, ChangeCounts>, counts: RecordCounts): number;
  incrementalRule: string;
  /**
   * Every record listed the plainest way: fetch + parse of the same pages (same fields) the
   * connector reads, each object's chain in parallel, as the engine runs them.
   */
  fetchCeiling(baseUrl: string, accessToken: string): Promise<FetchCeiling>;
  /**
   * The same list pages, one object's, as records with their CRM id (the rest as the API sent it):
   * what the baselines (baselines.ts) write the way other sync engines do. Without it there are none.
   */
  plainPages?(baseUrl: string, accessToken: string, object: ObjectType): AsyncIterable<{ id: string }[]>;
  /** Set-up of the emulator before every scenario (e.g. switching off a simulated network latency). */
  prepare?(admin: AdminCall): Promise<void>;
  /** The emulator's limit tier for the limited scenario (e.g. an OAuth app's, an edition's), and its name in the report. */
  limited: { tier: string; label: string };
  /** Cost of a full sync's requests against the daily allocation, when the CRM counts it in other units than requests. */
  dailyCost?(requestsByKind: Record<string, number>): { spent: number; unit: string };
  /** Further full syncs worth measuring (e.g. another listing path). */
  variants?: BenchVariant[];
  /** Sentences for the report that only this CRM explains (what the extra requests are, …). */
  notes: string[];
}

/** Requests to read `records` at `size` a page (an empty listing still takes one). */
export const pages = (records: number, size: number) => Math.max(1, Math.ceil(records / size));

/** A figure summed over our three objects. */
export const perObject = (figure: (object: ObjectType) => number) => objectTypes.reduce((sum, object) => sum + figure(object), 0);
