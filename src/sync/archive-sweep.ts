import type { SyncState } from './sync-state-repository.js';

/**
 * When an incremental run reads a deleted listing that costs the whole archive (deletedListing
 * `whole_archive`, connector-module.ts): a "sweep". Reading it at every run made an incremental's cost
 * grow with the account's archive (HubSpot: ~1,000 requests per 100k archived records) instead of
 * with its changes; swept on a slower schedule, a deletion arrives at the next due sweep at the
 * latest. A full listing needs no sweep: what it does not see is gone (sweepUnseen), and it stamps
 * `deletionsCheckedAt` as a sweep does. A sweep that finds a deletion no push announced degrades
 * real-time updates like any listing that finds such a change (softDelete moves updated_at, which
 * listingFoundUnpushedChanges reads), so the next sweeps are on the normal schedule again.
 */

/**
 * While the CRM pushes deletions (real-time updates on, and a deletion pushed since they last missed
 * anything), each deletion is applied within seconds by a webhook run, so the sweep only catches
 * deliveries lost for good. The CRM retries a failed delivery for about a day (HubSpot: up to 10
 * times over 24 h), so sweeping more often than that mostly re-reads what was pushed already. Once a
 * day, or the configured interval if longer.
 */
export const PUSHED_SWEEP_MINUTES = 24 * 60;

/** How long after the last completed check of deletions the next sweep is due; 0: every run. */
export function archiveSweepEveryMs(sweepMinutes: number, deletionsPushed: boolean): number {
  if (sweepMinutes === 0) return 0;
  return (deletionsPushed ? Math.max(sweepMinutes, PUSHED_SWEEP_MINUTES) : sweepMinutes) * 60_000;
}

/**
 * Whether this run sweeps: one cut short (its cursor saved) always goes on from where it stood;
 * otherwise when deletions were never checked, or last checked `everyMs` ago or longer.
 */
export function sweepDue(state: Pick<SyncState, 'deletionsCheckedAt' | 'deletionsCursor'>, everyMs: number, now = Date.now()): boolean {
  if (state.deletionsCursor) return true;
  if (!state.deletionsCheckedAt) return true;
  return now - Date.parse(state.deletionsCheckedAt) >= everyMs;
}
