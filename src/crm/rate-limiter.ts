import type pg from 'pg';

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
  /** Waits for this request's slot under `key`; returns at once when no rate is known. */
  acquire(key: string, rate: Rate | null): Promise<void>;
}

// A little under the limit: clocks and network jitter must not push a request into a full window.
const SAFETY = 1.02;

export function postgresRateLimiter(pool: pg.Pool): RateLimiter {
  return {
    async acquire(key, rate) {
      if (!rate || rate.max <= 0) return;
      const spacingMs = (rate.windowMs / rate.max) * SAFETY;
      const { rows } = await pool.query<{ wait_ms: number }>(
        `INSERT INTO rate_limits AS r (key, tat) VALUES ($1, clock_timestamp() + make_interval(secs => $2 / 1000.0))
         ON CONFLICT (key) DO UPDATE SET tat = greatest(r.tat, clock_timestamp()) + make_interval(secs => $2 / 1000.0)
         RETURNING greatest(0, extract(epoch FROM (r.tat - make_interval(secs => $2 / 1000.0)) - clock_timestamp()) * 1000)::float8 AS wait_ms`,
        [key, spacingMs],
      );
      const waitMs = rows[0]?.wait_ms ?? 0;
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    },
  };
}
