/**
 * HubSpot's API limit tiers as data. OAuth (public) apps get 110 requests per 10 s per account and app
 * and no daily cap; private apps get the account tier's burst and daily limits. Search has its own
 * per-second limit. https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
 */
import type { LimitUsage } from '../core/emulator.js';
import type { LimitSettings } from '../core/store.js';

const WINDOW_MS = 10_000;

export const LIMIT_TIERS = {
  off: { tier: 'off', windowMs: WINDOW_MS, windowMax: null, dailyMax: null, searchPerSecond: null, dailyHeaders: false },
  oauth: { tier: 'oauth', windowMs: WINDOW_MS, windowMax: 110, dailyMax: null, searchPerSecond: 5, dailyHeaders: false },
  free: { tier: 'free', windowMs: WINDOW_MS, windowMax: 100, dailyMax: 250_000, searchPerSecond: 5, dailyHeaders: true },
  starter: { tier: 'starter', windowMs: WINDOW_MS, windowMax: 100, dailyMax: 250_000, searchPerSecond: 5, dailyHeaders: true },
  professional: { tier: 'professional', windowMs: WINDOW_MS, windowMax: 190, dailyMax: 625_000, searchPerSecond: 5, dailyHeaders: true },
  enterprise: { tier: 'enterprise', windowMs: WINDOW_MS, windowMax: 190, dailyMax: 1_000_000, searchPerSecond: 5, dailyHeaders: true },
} as const satisfies Record<string, LimitSettings>;

export type LimitTier = keyof typeof LIMIT_TIERS;
export const LIMIT_TIER_NAMES = Object.keys(LIMIT_TIERS) as LimitTier[];

export function limitsFor(tier: LimitTier, overrides: Partial<Omit<LimitSettings, 'tier'>> = {}): LimitSettings {
  return { ...LIMIT_TIERS[tier], ...overrides };
}

/**
 * `X-HubSpot-RateLimit-*` on every limited non-search response (429s included); the daily pair only
 * for tiers that send it (private apps). Search responses carry none, as on the real API.
 */
export function limitHeaders(usage: LimitUsage, settings: LimitSettings, kind: 'api' | 'search'): Record<string, string> {
  if (kind === 'search') return {};
  const headers: Record<string, string> = {};
  if (usage.window) {
    headers['X-HubSpot-RateLimit-Interval-Milliseconds'] = String(usage.window.windowMs);
    headers['X-HubSpot-RateLimit-Max'] = String(usage.window.max);
    headers['X-HubSpot-RateLimit-Remaining'] = String(usage.window.remaining);
  }
  if (settings.dailyHeaders && usage.daily) {
    headers['X-HubSpot-RateLimit-Daily'] = String(usage.daily.max);
    headers['X-HubSpot-RateLimit-Daily-Remaining'] = String(usage.daily.remaining);
  }
  return headers;
}
