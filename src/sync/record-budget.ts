/**
 * The fetched records one process holds at once, across every run it keeps going. Each listing takes
 * a page's share when the page arrives, before asking for the next, and gives it back once the page
 * is written; a listing that finds the budget spent waits its turn. Turns are served in order, so a
 * big account's listings queue behind small ones like anyone's, and memory stays bounded however
 * many runs a process holds (most of them waiting on a rate limit, holding nothing).
 */
export class RecordBudget {
  private used = 0;
  private readonly waiting: { count: number; resolve: () => void }[] = [];

  constructor(readonly limit: number) {}

  /**
   * Resolves once `count` records fit. A page larger than the whole budget goes when it is alone.
   * `onWait` is called when the taker has to wait: it should then write what it holds, since records
   * held back for a larger batch would keep the budget from ever freeing.
   */
  async take(count: number, onWait?: () => void): Promise<void> {
    if (this.waiting.length === 0 && this.fits(count)) {
      this.used += count;
      return;
    }
    const granted = new Promise<void>((resolve) => this.waiting.push({ count, resolve }));
    onWait?.();
    await granted;
  }

  give(count: number): void {
    this.used -= count;
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.count)) {
      const next = this.waiting.shift()!;
      this.used += next.count;
      next.resolve();
    }
  }

  get held(): number {
    return this.used;
  }

  private fits(count: number): boolean {
    return this.used === 0 || this.used + count <= this.limit;
  }
}

const budgets = new Map<number, RecordBudget>();

/** The process's budget (PULSE_WORKER_RECORD_BUDGET): one per process, shared by every run in it. */
export function processRecordBudget(limit: number): RecordBudget {
  let budget = budgets.get(limit);
  if (!budget) budgets.set(limit, (budget = new RecordBudget(limit)));
  return budget;
}
