import type pg from 'pg';
import { apiLimitsRepository } from '../db/api-limits-repository.js';
import { ProviderError } from './provider-error.js';

/**
 * Credits a CRM charges per call without reporting them (the connector module's `credits.cost`),
 * counted by us per provider account in a rolling 24 h window shared by every process. Before a
 * call, one that would pass the account's allocation is not sent: the run stops as `partial`
 * (quota_exhausted) saying when enough credits free up, instead of spending the org's last credits
 * and leaving its other apps none.
 */
export interface CreditMeter {
  /** Throws quota_exhausted when `cost` more would pass the allocation (unknown allocation: never). */
  reserve(cost: number): Promise<void>;
  charge(cost: number): Promise<void>;
  /** Credits charged in the last 24 h. */
  used(): Promise<number>;
}

export function creditMeter(pool: pg.Pool, key: string, crmName: string, allocation: () => number | null): CreditMeter {
  const repo = apiLimitsRepository(pool);
  return {
    async reserve(cost) {
      const limit = allocation();
      if (limit === null) return;
      const { used, fitsAt } = await repo.window(key, cost, limit);
      if (fitsAt && fitsAt.getTime() <= Date.now() + 1000) return;
      const when = fitsAt ? `enough free up at ${fitsAt.toISOString()}` : 'this call costs more than the whole allocation';
      throw new ProviderError('quota_exhausted', `${crmName}'s API credits for the last 24 hours are spent by Pulse's count (${used} of ${limit}); ${when}.`, {
        ...(fitsAt ? { retryAfterMs: Math.max(0, fitsAt.getTime() - Date.now()) } : {}),
      });
    },
    charge: (cost) => repo.charge(key, cost),
    used: async () => (await repo.window(key, 0, null)).used,
  };
}
