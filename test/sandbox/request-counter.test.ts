import { describe, expect, it } from 'vitest';
import { ACCOUNT_WINDOW_MS, RequestCounter } from '../../src/sandbox/core/request-counter.js';

/** The most requests an account received in any one window: what a burst limit counts, exactly. */
describe('request counter per account', () => {
  it('keeps the most requests of each account in any rolling window, apart from the other accounts', () => {
    const counter = new RequestCounter();
    // Account 1: 3 requests within one window, then 2 more once the first two have rolled out (never more than 3 in 10 s).
    for (const at of [0, 4000, 9999]) counter.record('list'), counter.recordAccount(1, at);
    for (const at of [14_001, 15_000]) counter.recordAccount(1, at);
    counter.recordAccount(2, 5000);
    expect(counter.snapshot().byAccount).toEqual({ 1: { total: 5, maxPerWindow: 3 }, 2: { total: 1, maxPerWindow: 1 } });
    // A request exactly one window after another does not share its window.
    counter.reset();
    counter.recordAccount(1, 0);
    counter.recordAccount(1, ACCOUNT_WINDOW_MS);
    expect(counter.snapshot()).toMatchObject({ total: 0, byAccount: { 1: { total: 2, maxPerWindow: 1 } }, accountWindowMs: ACCOUNT_WINDOW_MS });
  });
});
