import { describe, expect, it } from 'vitest';
import { rateLimitWaits } from '../../src/sync/rate-limit-waits.js';

/** The share of a run's time its rate limit held it back, on a clock the test moves. */
describe('rateLimitWaits', () => {
  const clock = () => {
    let t = 0;
    return { now: () => t, pass: (ms: number) => void (t += ms) };
  };

  it('counts overlapping waits once, and only while no request is on the wire', () => {
    const { now, pass } = clock();
    const waits = rateLimitWaits(now);
    const a = waits.waiting();
    pass(100);
    const b = waits.waiting();
    pass(200);
    a();
    const sent = waits.sending();
    pass(300); // b still waits, but a's request is answered meanwhile: not held back.
    sent();
    pass(100);
    b();
    pass(300);
    expect(waits.sample()).toBeCloseTo(400 / 1000);
  });

  it('a run spaced out by its limit is mostly waiting; a slow CRM is not', () => {
    const { now, pass } = clock();
    const waits = rateLimitWaits(now);
    for (let i = 0; i < 10; i++) {
      const wait = waits.waiting();
      pass(290);
      wait();
      const sent = waits.sending();
      pass(10);
      sent();
    }
    expect(waits.sample()).toBeGreaterThan(0.9);
    // Three listings side by side against a CRM that takes 300 ms: short waits, always one on the wire.
    for (let i = 0; i < 10; i++) {
      const sent = waits.sending();
      const wait = waits.waiting();
      pass(90);
      wait();
      pass(210);
      sent();
    }
    expect(waits.sample()).toBe(0);
  });

  it('splits a wait across samples, and ignores a second end', () => {
    const { now, pass } = clock();
    const waits = rateLimitWaits(now);
    pass(500);
    const wait = waits.waiting();
    pass(500);
    expect(waits.sample()).toBeCloseTo(0.5);
    pass(250);
    wait();
    wait();
    pass(750);
    expect(waits.sample()).toBeCloseTo(0.25);
    expect(waits.sample()).toBe(0);
  });
});
