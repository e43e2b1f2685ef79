/** Counts requests by route kind (list, search, batch, token, ...) so tests can assert what a client spent. */
export interface RequestCounts {
  total: number;
  byKind: Record<string, number>;
  byStatus: Record<string, number>;
  /**
   * Authenticated requests per account: all of them, and the most that fell in any one window of
   * ACCOUNT_WINDOW_MS (what a CRM's burst limit counts), so a client sharing one account across
   * processes can be checked against the limit.
   */
  byAccount: Record<string, { total: number; maxPerWindow: number }>;
  accountWindowMs: number;
}

/** The burst window most CRMs state their limits over. */
export const ACCOUNT_WINDOW_MS = 10_000;

export class RequestCounter {
  private counts: RequestCounts = { total: 0, byKind: {}, byStatus: {}, byAccount: {}, accountWindowMs: ACCOUNT_WINDOW_MS };
  /** Each account's request times within the last window (a rolling log, so the maximum is exact). */
  private recent = new Map<number, number[]>();

  record(kind: string): void {
    this.counts.total++;
    this.counts.byKind[kind] = (this.counts.byKind[kind] ?? 0) + 1;
  }

  recordStatus(status: number): void {
    this.counts.byStatus[status] = (this.counts.byStatus[status] ?? 0) + 1;
  }

  recordAccount(accountId: number, now = performance.now()): void {
    const times = this.recent.get(accountId) ?? [];
    times.push(now);
    let expired = 0;
    while (times[expired]! <= now - ACCOUNT_WINDOW_MS) expired++;
    if (expired) times.splice(0, expired);
    this.recent.set(accountId, times);
    const entry = (this.counts.byAccount[accountId] ??= { total: 0, maxPerWindow: 0 });
    entry.total++;
    entry.maxPerWindow = Math.max(entry.maxPerWindow, times.length);
  }

  snapshot(): RequestCounts {
    return structuredClone(this.counts);
  }

  reset(): void {
    this.counts = { total: 0, byKind: {}, byStatus: {}, byAccount: {}, accountWindowMs: ACCOUNT_WINDOW_MS };
    this.recent.clear();
  }
}
