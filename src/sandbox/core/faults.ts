/**
 * Fault injection: rules that make matching requests fail in a chosen way. A rule fires for the next N
 * matching requests (after skipping `skip`), or for a share of them drawn from a generator seeded by
 * (sandbox seed, rule id), so the same request sequence fails the same way on every run, or for every
 * matching request during a time window (an outage: the CRM down for `forMs`, however often it is asked).
 */
import { mulberry32 } from './random.js';

export const FAULT_KINDS = [429, 500, 502, 503, 504, 'hang', 'drop', 'truncate', 'expire', 'revoke'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  kind: FaultKind;
  /** Fire for the next N matching requests (default 1 unless `share` is given). */
  next?: number;
  /** Fire for this share (0..1) of matching requests, for as long as the rule stays. */
  share?: number;
  /** Let this many matching requests through first. */
  skip?: number;
  pathPrefix?: string;
  method?: string;
  accountId?: number;
  /** For 'hang': answer normally after this many ms (default: never, until the sandbox closes). */
  hangMs?: number;
  /**
   * Fire for every matching request (or `share` of them) for this many ms of real time, counted from
   * the first request it fires for (so `skip` places the outage mid-sync), then go away.
   */
  forMs?: number;
}

export interface FaultRule extends FaultSpec {
  id: number;
  seen: number;
  fired: number;
  /** For a `forMs` rule: when its window ends (epoch ms), once it has started. */
  endsAt?: number;
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private readonly draws = new Map<number, () => number>();
  private nextRuleId = 1;

  constructor(private readonly seed: number) {}

  add(spec: FaultSpec): FaultRule {
    const rule: FaultRule = { ...spec, id: this.nextRuleId++, seen: 0, fired: 0 };
    if (rule.share === undefined && rule.next === undefined && rule.forMs === undefined) rule.next = 1;
    this.rules.push(rule);
    this.draws.set(rule.id, mulberry32((this.seed * 7919 + rule.id) >>> 0));
    return rule;
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  clear(accountId?: number): void {
    this.rules = accountId === undefined ? [] : this.rules.filter((r) => r.accountId !== accountId);
  }

  /** The rule that fires for this request, if any (first match wins). */
  match(accountId: number, method: string, path: string): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.accountId !== undefined && rule.accountId !== accountId) continue;
      if (rule.pathPrefix && !path.startsWith(rule.pathPrefix)) continue;
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      rule.seen++;
      if (rule.seen <= (rule.skip ?? 0)) continue;
      // Real time, not the sandbox clock: an outage lasts as long as a client waits, whatever the data's clock says.
      if (rule.forMs !== undefined) {
        rule.endsAt ??= Date.now() + rule.forMs;
        if (Date.now() >= rule.endsAt) {
          this.rules = this.rules.filter((r) => r !== rule);
          continue;
        }
      }
      const fire = rule.share !== undefined ? this.draws.get(rule.id)!() < rule.share : true;
      if (!fire) continue;
      rule.fired++;
      if (rule.next !== undefined && rule.fired >= rule.next) this.rules = this.rules.filter((r) => r !== rule);
      return rule;
    }
    return undefined;
  }
}
