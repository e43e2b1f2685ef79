import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { apiLimitsRepository } from '../db/api-limits-repository.js';

/**
 * A per-account request limiter shared by every worker through PostgreSQL: each request reserves the
 * next free slot (GCRA with no burst, i.e. evenly spaced requests). Even spacing never exceeds a
 * rolling window however the provider counts it, and wastes no time in the long run: N requests take
 * N × interval, which is the floor the provider's limit imposes anyway.
 */
export interface Rate {
  /** Requests allowed per window. */
  max: number;
  windowMs: number;
}

export interface RateLimiter {
  /**
   * Waits for this request's slot under `key`. With no `rate` (this process has not seen the
   * provider's headers yet) the rate another process learned for the key applies; if nobody knows
   * one, the request goes at once.
   */
  acquire(key: string, rate: Rate | null): Promise<void>;
  /**
   * Waits until fewer than `max` requests of `key` are in flight across every process, and holds one
   * place until the returned release is called (CRMs that cap concurrent calls, not a rate).
   */
  hold?(key: string, max: number): Promise<() => Promise<void>>;
}

/** How long a held place outlives a process that died holding it (longer than any request's timeout). */
const SLOT_LEASE_MS = 120_000;
/** How often a request waiting for a place asks again. */
const SLOT_POLL_MS = 15;

/**
 * A little under the limit. A request sent late (a busy event loop, a slow connection) lands closer
 * to the next one than its slot says; in a rolling window that can make one request too many. The
 * slack absorbs delays up to SLACK_MS per window: ~1.5% of HubSpot's 10-second window, ~15% of its
 * one-second search window (search is only used for small incremental reads).
 */
const SAFETY = 1.01;
const SLACK_MS = 150;

export function postgresRateLimiter(pool: pg.Pool): RateLimiter {
  return {
    async acquire(key, rate) {
      const spacingMs = rate && rate.max > 0 ? (rate.windowMs * SAFETY + SLACK_MS) / rate.max : null;
      const { rows } = await pool.query<{ wait_ms: number }>(
        `INSERT INTO rate_limits AS r (key, tat, spacing_ms) VALUES ($1, clock_timestamp() + make_interval(secs => coalesce($2::float8, 0) / 1000.0), $2::float8)
         ON CONFLICT (key) DO UPDATE SET spacing_ms = coalesce($2::float8, r.spacing_ms),
           tat = greatest(r.tat, clock_timestamp()) + make_interval(secs => coalesce($2::float8, r.spacing_ms, 0) / 1000.0)
         RETURNING greatest(0, extract(epoch FROM (r.tat - make_interval(secs => coalesce(r.spacing_ms, 0) / 1000.0)) - clock_timestamp()) * 1000)::float8 AS wait_ms`,
        [key, spacingMs],
      );
      const waitMs = rows[0]?.wait_ms ?? 0;
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    },

    async hold(key, max) {
      const slots = apiLimitsRepository(pool);
      const holder = randomUUID();
      for (let waited = 0; ; waited++) {
        const slot = await slots.claimSlot(key, max, holder, SLOT_LEASE_MS);
        if (slot !== null) return () => slots.releaseSlot(key, slot, holder);
        // A little jitter, so waiters in several processes do not ask in lockstep.
        await new Promise((resolve) => setTimeout(resolve, SLOT_POLL_MS + Math.random() * Math.min(50, waited * 5)));
      }
    },
  };
}
