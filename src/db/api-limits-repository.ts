import type pg from 'pg';

/**
 * Provider-account limits shared by every worker process: credits charged in a rolling 24 h window
 * (one-minute buckets) and concurrency slots. Not tenant data (keys name a provider account), so it
 * runs on the pool, outside a user's transaction, like the request limiter.
 */
export function apiLimitsRepository(db: pg.Pool) {
  return {
    /**
     * Charges `cost` if it fits under `allocation` in the last 24 h, atomically across processes (an
     * advisory lock per key, taken before the sum is read); else charges nothing and says when it fits.
     */
    async reserve(key: string, cost: number, allocation: number): Promise<{ ok: true } | { ok: false; used: number; fitsAt: Date | null }> {
      const client = await db.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 7))', [key]);
        const { rows } = await client.query<{ used: number; fits_at: Date | null }>(WINDOW_SQL, [key, cost, allocation]);
        const { used, fits_at: fitsAt } = rows[0]!;
        if (used + cost > allocation) {
          await client.query('COMMIT');
          return { ok: false, used, fitsAt };
        }
        await client.query(CHARGE_SQL, [key, cost]);
        await client.query('COMMIT');
        return { ok: true };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },

    /** Adds `credits` (negative: gives back) to this minute's bucket, and drops buckets past the window. */
    async charge(key: string, credits: number): Promise<void> {
      await db.query(CHARGE_SQL, [key, credits]);
    },

    /**
     * Credits charged in the last 24 h, and when `need` more would fit under `allocation`: now if
     * they fit, else when enough of the oldest buckets leave the window.
     */
    async window(key: string, need: number, allocation: number | null): Promise<{ used: number; fitsAt: Date | null }> {
      const { rows } = await db.query<{ used: number; fits_at: Date | null }>(WINDOW_SQL, [key, need, allocation]);
      return { used: rows[0]!.used, fitsAt: rows[0]!.fits_at };
    },

    /** Takes a free slot below `max` for `holder` (or one whose lease ran out); null when all are held. */
    async claimSlot(key: string, max: number, holder: string, leaseMs: number): Promise<number | null> {
      const { rows } = await db.query<{ slot: number }>(
        `INSERT INTO concurrency_slots AS c (key, slot, holder, expires_at)
         SELECT $1, s, $3, clock_timestamp() + make_interval(secs => $4::float8 / 1000.0)
           FROM generate_series(0, $2::int - 1) AS s
          WHERE NOT EXISTS (SELECT 1 FROM concurrency_slots h WHERE h.key = $1 AND h.slot = s AND h.expires_at > clock_timestamp())
          ORDER BY s LIMIT 1
         ON CONFLICT (key, slot) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
          WHERE c.expires_at <= clock_timestamp()
         RETURNING slot`,
        [key, max, holder, leaseMs],
      );
      return rows[0]?.slot ?? null;
    },

    async releaseSlot(key: string, slot: number, holder: string): Promise<void> {
      await db.query('DELETE FROM concurrency_slots WHERE key = $1 AND slot = $2 AND holder = $3', [key, slot, holder]);
    },
  };
}

const CHARGE_SQL = `WITH gone AS (DELETE FROM api_credits WHERE key = $1 AND minute < now() - interval '25 hours')
  INSERT INTO api_credits AS c (key, minute, credits) VALUES ($1, date_trunc('minute', now()), $2)
  ON CONFLICT (key, minute) DO UPDATE SET credits = c.credits + excluded.credits`;

/** Credits used in the last 24 h, and when `$2` more fit under `$3` (now if they do; null: never). */
const WINDOW_SQL = `WITH live AS (SELECT minute, credits FROM api_credits WHERE key = $1 AND minute > now() - interval '24 hours'),
       total AS (SELECT coalesce(sum(credits), 0)::int AS used FROM live),
       freed AS (SELECT minute, sum(credits) OVER (ORDER BY minute) AS gone FROM live)
  SELECT total.used,
         CASE WHEN $3::int IS NULL OR total.used + $2 <= $3 THEN now()
              ELSE (SELECT min(minute) + interval '24 hours 1 minute' FROM freed WHERE total.used - gone + $2 <= $3) END AS fits_at
    FROM total`;
