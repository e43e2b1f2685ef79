/**
 * The org's API allocation by edition: a rolling 24-hour request allocation of 100,000 plus a per-licence
 * adder (1,000 Enterprise / Professional with API, 5,000 Unlimited / Performance; Developer Edition 15,000),
 * announced on every response as `Sforce-Limit-Info: api-usage=used/max`. Professional Edition without
 * the API add-on has no API access (403 API_DISABLED_FOR_ORG). Salesforce has no per-second window;
 * a window set through the admin API is refused as 403 REQUEST_LIMIT_EXCEEDED (see errors.ts).
 */
import type { LimitUsage } from '../core/emulator.js';
import type { LimitSettings } from '../core/store.js';

const LICENCES = 10;
const tier = (name: string, dailyMax: number | null): LimitSettings => ({ tier: name, windowMs: 1000, windowMax: null, dailyMax, searchPerSecond: null, dailyHeaders: true });

export const LIMIT_TIERS: Record<string, LimitSettings> = {
  off: { ...tier('off', null), dailyHeaders: false },
  developer: tier('developer', 15_000),
  enterprise: tier('enterprise', 100_000 + LICENCES * 1_000),
  unlimited: tier('unlimited', 100_000 + LICENCES * 5_000),
  /** Professional Edition without the API add-on. */
  professional: tier('professional', 100_000 + LICENCES * 1_000),
};

/** Editions whose orgs may not use the API at all. */
export const API_DISABLED_TIERS = new Set(['professional']);

/** Bulk API 2.0 query jobs per rolling 24 h (documented allocation). */
export const DAILY_BULK_QUERY_JOBS = 10_000;

export function limitHeaders(usage: LimitUsage): Record<string, string> {
  if (!usage.daily) return {};
  return { 'Sforce-Limit-Info': `api-usage=${usage.daily.max - usage.daily.remaining}/${usage.daily.max}` };
}
