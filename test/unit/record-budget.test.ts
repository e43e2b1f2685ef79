import { describe, expect, it } from 'vitest';
import { RecordBudget } from '../../src/sync/record-budget.js';

describe('a process\'s record budget', () => {
  const settled = async <T>(promise: Promise<T>) => Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setImmediate(() => resolve(false)))]);

  it('lets takers through while they fit, and makes the next wait until enough is given back', async () => {
    const budget = new RecordBudget(1000);
    await budget.take(600);
    await budget.take(400);
    const third = budget.take(300);
    expect(await settled(third)).toBe(false);
    budget.give(200);
    expect(await settled(third)).toBe(false);
    budget.give(100);
    expect(await settled(third)).toBe(true);
    expect(budget.held).toBe(1000);
  });

  it('serves waiters in order: a small page does not overtake a large one that waits', async () => {
    const budget = new RecordBudget(1000);
    await budget.take(900);
    const order: string[] = [];
    const large = budget.take(800).then(() => order.push('large'));
    const small = budget.take(50).then(() => order.push('small'));
    budget.give(900);
    await Promise.all([large, small]);
    expect(order).toEqual(['large', 'small']);
  });

  it('lets a page larger than the whole budget through when nothing else is held', async () => {
    const budget = new RecordBudget(1000);
    await budget.take(100);
    const huge = budget.take(5000);
    expect(await settled(huge)).toBe(false);
    budget.give(100);
    expect(await settled(huge)).toBe(true);
    budget.give(5000);
    expect(budget.held).toBe(0);
  });
});
