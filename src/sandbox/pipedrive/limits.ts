/**
 * Pipedrive's limits as data: a daily token budget per company (30,000 × plan multiplier × seats)
 * and a rolling 2-second burst window per token by plan (OAuth apps: Lite 80, Growth 160, Premium
 * 400, Ultimate 480; search 10 per 2 s). https://pipedrive.readme.io/docs/core-api-concepts-rate-limiting
 *
 * The budget is counted one token per request: the per-endpoint costs (v2 list 10, get 1, write 5…)
 * are not modelled, because the admin API's `dailyMax` is a request count in every emulator (see README).
 */
import type { LimitUsage } from '../core/emulator.js';
import type { LimitSettings } from '../core/store.js';

const WINDOW_MS = 2_000;
/** Seats of the default company: the budget scales with them. */
export const DEFAULT_SEATS = 10;
const budget = (multiplier: number) => 30_000 * multiplier * DEFAULT_SEATS;
/** Search: 10 per 2 s, expressed as the per-second limit core enforces. */
const SEARCH_PER_SECOND = 5;

const tier = (name: string, windowMax: number | null, multiplier: number | null): LimitSettings => ({
  tier: name, windowMs: WINDOW_MS, windowMax, dailyMax: multiplier === null ? null : budget(multiplier), searchPerSecond: windowMax === null ? null : SEARCH_PER_SECOND, dailyHeaders: multiplier !== null,
});

export const LIMIT_TIERS = {
  off: tier('off', null, null),
  lite: tier('lite', 80, 1),
  growth: tier('growth', 160, 2),
  premium: tier('premium', 400, 5),
  ultimate: tier('ultimate', 480, 7),
} as const satisfies Record<string, LimitSettings>;

export const BURST_WINDOW_SECONDS = WINDOW_MS / 1000;

/**
 * `x-ratelimit-*` (the 2-second window of this token) and `x-daily-ratelimit-token-*` (the
 * company's budget) on every limited response, refusals included.
 */
export function limitHeaders(usage: LimitUsage, settings: LimitSettings): Record<string, string> {
  const headers: Record<string, string> = {};
  if (usage.window) {
    headers['x-ratelimit-limit'] = String(usage.window.max);
    headers['x-ratelimit-remaining'] = String(usage.window.remaining);
    headers['x-ratelimit-reset'] = String(Math.ceil(usage.window.windowMs / 1000));
  }
  if (settings.dailyHeaders && usage.daily) {
    headers['x-daily-ratelimit-token-limit'] = String(usage.daily.max);
    headers['x-daily-ratelimit-token-remaining'] = String(Math.max(0, usage.daily.remaining));
  }
  return headers;
}
