/**
 * Rate-limit counters: an exact rolling window (a log of the last `max` request times per key, so a
 * client that keeps to N requests in any window never sees a refusal) and a daily counter that resets
 * at midnight UTC of the sandbox clock. Refused requests are not counted.
 */
import type { Clock } from './clock.js';

const DAY_MS = 86_400_000;

export interface WindowResult {
  allowed: boolean;
  remaining: number;
}

export interface DailyResult {
  allowed: boolean;
  used: number;
  remaining: number;
  resetsAt: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, number[]>();
  private readonly days = new Map<string, { day: number; used: number }>();

  constructor(private readonly clock: Clock) {}

  /** Counts one request against `key` when under `max` per `windowMs`. */
  window(key: string, max: number, windowMs: number, consume = true): WindowResult {
    const now = this.clock.now();
    let log = this.windows.get(key);
    if (!log) this.windows.set(key, (log = []));
    while (log.length > 0 && log[0]! <= now - windowMs) log.shift();
    if (log.length >= max) return { allowed: false, remaining: 0 };
    if (consume) log.push(now);
    return { allowed: true, remaining: max - log.length };
  }

  daily(key: string, max: number | null, consume = true): DailyResult {
    const now = this.clock.now();
    const day = Math.floor(now / DAY_MS);
    let entry = this.days.get(key);
    if (!entry || entry.day !== day) this.days.set(key, (entry = { day, used: 0 }));
    const resetsAt = (day + 1) * DAY_MS;
    if (max !== null && entry.used >= max) return { allowed: false, used: entry.used, remaining: 0, resetsAt };
    if (consume) entry.used++;
    return { allowed: true, used: entry.used, remaining: max === null ? Infinity : max - entry.used, resetsAt };
  }

  /** Forgets counters whose key starts with `prefix` (all when omitted). */
  reset(prefix = ''): void {
    for (const k of [...this.windows.keys()]) if (k.startsWith(prefix)) this.windows.delete(k);
    for (const k of [...this.days.keys()]) if (k.startsWith(prefix)) this.days.delete(k);
  }
}
