/** Counts requests by route kind (list, search, batch, token, ...) so tests can assert what a client spent. */
export interface RequestCounts {
  total: number;
  byKind: Record<string, number>;
  byStatus: Record<string, number>;
}

export class RequestCounter {
  private counts: RequestCounts = { total: 0, byKind: {}, byStatus: {} };

  record(kind: string): void {
    this.counts.total++;
    this.counts.byKind[kind] = (this.counts.byKind[kind] ?? 0) + 1;
  }

  recordStatus(status: number): void {
    this.counts.byStatus[status] = (this.counts.byStatus[status] ?? 0) + 1;
  }

  snapshot(): RequestCounts {
    return structuredClone(this.counts);
  }

  reset(): void {
    this.counts = { total: 0, byKind: {}, byStatus: {} };
  }
}
