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
  /**
   * Charges a call before it is sent, or throws quota_exhausted when it would pass the allocation
   * (atomic across processes, so concurrent calls cannot together overshoot). Unknown allocation: charged, never refused.
   */
  reserve(cost: number): Promise<void>;
  /** Gives a call's credits back (the CRM refused it for a limit and charges nothing). */
  refund(cost: number): Promise<void>;
  /** Credits charged in the last 24 h. */
  used(): Promise<number>;
}

export function creditMeter(pool: pg.Pool, key: string, crmName: string, allocation: () => number | null): CreditMeter {
  const repo = apiLimitsRepository(pool);
  return {
    async reserve(cost) {
      const limit = allocation();
      // An allocation not known yet (before the connector read the org): counted, not refused.
      if (limit === null) return repo.charge(key, cost);
      const reserved = await repo.reserve(key, cost, limit);
      if (reserved.ok) return;
      const { used, fitsAt } = reserved;
      const when = fitsAt ? `enough free up at ${fitsAt.toISOString()}` : 'this call costs more than the whole allocation';
      throw new ProviderError('quota_exhausted', `${crmName}'s API credits for the last 24 hours are spent by Pulse's count (${used} of ${limit}); ${when}.`, {
        ...(fitsAt ? { retryAfterMs: Math.max(0, fitsAt.getTime() - Date.now()) } : {}),
      });
    },
    refund: (cost) => repo.charge(key, -cost),
    used: async () => (await repo.window(key, 0, null)).used,
  };
}
