import { isOutage } from '../crm/provider-error.js';

/**
 * When a run the CRM's outage cut short is tried again. The first retry comes soon (a CRM is rarely
 * down for long); each outage in a row doubles the wait, up to the integration's regular interval,
 * past which a retry would be no sooner than the next scheduled sync anyway.
 */
export function outageRetryDelayMs(outagesBefore: number, firstMs: number, intervalMs: number): number {
  return Math.min(intervalMs, firstMs * 2 ** Math.min(outagesBefore, 30));
}

/**
 * A run is retried for an outage only when every object that failed failed because the CRM was
 * out of reach: one auth, permission or quota failure (or a CRM error it answered with) means a
 * retry soon would meet the same answer, so the run waits for a person or the regular schedule.
 */
export function cutShortByOutage(failures: Iterable<unknown>): boolean {
  const all = [...failures];
  return all.length > 0 && all.every(isOutage);
}
