/**
 * Webhook delivery: events queue per target, go out as JSON-array batches (at most `batchSize`; or in
 * the target's own encoding, e.g. SOAP), signed by the provider's header function, and are retried with growing delays on a non-2xx answer, a
 * timeout or a connection error. Timers are real (a delivery has to reach a real server); timestamps
 * come from the sandbox clock.
 */
import type { Clock } from './clock.js';

export interface WebhookTarget {
  /** Batches never mix keys (e.g. one per app and account). */
  key: string;
  url: string;
  headers(method: string, url: string, body: string, timestamp: number): Record<string, string>;
  /** Lets the provider stamp the attempt number into each event. */
  withAttempt?(event: unknown, attempt: number): unknown;
  /** One event per request, as the body itself rather than in an array (CRMs that do not batch). */
  single?: boolean;
  /** The request body for a batch, for CRMs that do not send JSON (SOAP); JSON by default. */
  encode?(events: unknown[]): { contentType: string; body: string };
  /** Whether the answer counts as received, for CRMs that retry anything but their own acknowledgement; any 2xx by default. */
  acknowledged?(status: number, body: string): boolean;
}

export interface DeliveryRecord {
  key: string;
  url: string;
  attempt: number;
  events: number;
  status: number | null;
  error?: string;
  at: number;
}

export interface DispatcherOptions {
  batchSize?: number;
  flushDelayMs?: number;
  maxAttempts?: number;
  retryDelayMs?: (attempt: number) => number;
  timeoutMs?: number;
}

export class WebhookDispatcher {
  private readonly queues = new Map<string, { target: WebhookTarget; events: unknown[] }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private inFlight = 0;
  private closed = false;
  /** Set while a journal is replayed: those events were delivered the first time. */
  muted = false;
  readonly log: DeliveryRecord[] = [];
  private readonly opts: Required<DispatcherOptions>;

  constructor(
    private readonly clock: Clock,
    opts: DispatcherOptions = {},
  ) {
    this.opts = {
      batchSize: opts.batchSize ?? 100,
      flushDelayMs: opts.flushDelayMs ?? 25,
      maxAttempts: opts.maxAttempts ?? 10,
      retryDelayMs: opts.retryDelayMs ?? ((n) => Math.min(250 * 2 ** n, 60_000)),
      timeoutMs: opts.timeoutMs ?? 5000,
    };
  }

  enqueue(target: WebhookTarget, event: unknown): void {
    if (this.closed || this.muted) return;
    let queue = this.queues.get(target.key);
    if (!queue) {
      this.queues.set(target.key, (queue = { target, events: [] }));
      this.later(() => this.flush(target.key), this.opts.flushDelayMs);
    }
    queue.events.push(event);
  }

  /** Resolves once nothing is queued, in flight or waiting for a retry. */
  async idle(): Promise<void> {
    while (this.queues.size > 0 || this.inFlight > 0 || this.timers.size > 0) await new Promise((r) => setTimeout(r, 10));
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.queues.clear();
  }

  private flush(key: string): void {
    const queue = this.queues.get(key);
    this.queues.delete(key);
    if (!queue) return;
    const size = queue.target.single ? 1 : this.opts.batchSize;
    for (let i = 0; i < queue.events.length; i += size) {
      void this.send(queue.target, queue.events.slice(i, i + size), 0);
    }
  }

  private async send(target: WebhookTarget, events: unknown[], attempt: number): Promise<void> {
    if (this.closed) return;
    this.inFlight++;
    const stamped = target.withAttempt ? events.map((e) => target.withAttempt!(e, attempt)) : events;
    const { contentType, body } = target.encode?.(stamped) ?? { contentType: 'application/json', body: JSON.stringify(target.single ? stamped[0] : stamped) };
    const timestamp = this.clock.now();
    const record: DeliveryRecord = { key: target.key, url: target.url, attempt, events: events.length, status: null, at: timestamp };
    try {
      const res = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': contentType, ...target.headers('POST', target.url, body, timestamp) },
        body,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      record.status = res.status;
      const answer = await res.text().catch(() => '');
      if (target.acknowledged ? !target.acknowledged(res.status, answer) : !res.ok) throw new Error(`HTTP ${res.status}${res.ok ? ' without an acknowledgement' : ''}`);
    } catch (err) {
      record.error = err instanceof Error ? err.message : String(err);
      if (attempt + 1 < this.opts.maxAttempts) {
        this.later(() => void this.send(target, events, attempt + 1), this.opts.retryDelayMs(attempt));
      }
    } finally {
      this.log.push(record);
      if (this.log.length > 1000) this.log.shift();
      this.inFlight--;
    }
  }

  private later(fn: () => void, ms: number): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }
}
