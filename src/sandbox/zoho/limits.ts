/**
 * Zoho's API limits as data: credits per rolling 24 h per org by edition (50,000 + a per-user share,
 * capped), concurrent requests per org and app by edition. 1 credit per call. Zoho has no burst
 * window; the core's window stays off unless a test sets one, and then its figures are announced in
 * `X-RATELIMIT-*` headers (named in third-party material only, see README). The core counts credits
 * per UTC day rather than a rolling 24 h (README).
 * https://www.zoho.com/crm/developer/docs/api/v8/api-limits.html
 */
import type { LimitUsage } from '../core/emulator.js';
import type { LimitSettings } from '../core/store.js';

const USERS = 8;
const credits = (perUser: number, max: number | null) => Math.min(50_000 + perUser * USERS, max ?? Infinity);
const edition = (tier: string, dailyMax: number | null): LimitSettings => ({ tier, windowMs: 60_000, windowMax: null, dailyMax, searchPerSecond: null, dailyHeaders: false });

export const LIMIT_TIERS = {
  off: edition('off', null),
  free: edition('free', 5_000),
  standard: edition('standard', credits(250, 100_000)),
  professional: edition('professional', credits(500, 3_000_000)),
  enterprise: edition('enterprise', credits(1_000, 5_000_000)),
  ultimate: edition('ultimate', credits(2_000, null)),
} as const satisfies Record<string, LimitSettings>;

/** Concurrent calls per org and app (sub-concurrency of heavy APIs not modelled). */
export const CONCURRENCY: Record<string, number | null> = { off: null, free: 5, standard: 10, professional: 15, enterprise: 20, ultimate: 25 };

export const DEFAULT_TIER = 'enterprise';

export function limitHeaders(usage: LimitUsage): Record<string, string> {
  if (!usage.window) return {};
  return {
    'X-RATELIMIT-LIMIT': String(usage.window.max),
    'X-RATELIMIT-REMAINING': String(usage.window.remaining),
    // The window's length in seconds (what a client needs to pace itself; see README).
    'X-RATELIMIT-RESET': String(Math.ceil(usage.window.windowMs / 1000)),
  };
}
