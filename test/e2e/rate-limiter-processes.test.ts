import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { repoRoot } from '../helpers/process.js';

/**
 * The request limiter is one per CRM account, not one per process: two worker processes on the
 * same PostgreSQL server taking slots of the same key stay under the rate together.
 */
describe('the rate limiter across processes', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestContext({}, undefined, 'postgres');
  });
  afterAll(() => ctx?.close());

  it('keeps two processes taking slots of one key under the rate together', async () => {
    const rate = { max: 20, windowMs: 1000 };
    const perProcess = 15;
    const args = JSON.stringify({ key: 'hubspot:shared-by-two-processes', count: perProcess, rate });
    const workers = [0, 1].map(() => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/rate-limit-worker.ts', args], {
        cwd: repoRoot, env: { ...process.env, DATABASE_URL: ctx.databaseUrl! }, stdio: ['pipe', 'pipe', 'inherit'],
      });
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      return { child, next: async () => (await lines.next()).value as string };
    });
    for (const worker of workers) expect(await worker.next()).toBe('ready');
    for (const worker of workers) worker.child.stdin!.write('go\n');
    const granted = await Promise.all(workers.map(async (worker) => (JSON.parse(await worker.next()) as { granted: number[] }).granted));

    // Both processes were taking slots at the same time (else "together" would prove nothing).
    const [first, second] = granted.map((times) => ({ from: Math.min(...times), to: Math.max(...times) }));
    expect(Math.min(first!.to, second!.to)).toBeGreaterThan(Math.max(first!.from, second!.from));
    // No window of windowMs holds more than max grants: the (max+1)-th grant after any grant is a window later.
    const all = granted.flat().sort((a, b) => a - b);
    expect(all).toHaveLength(2 * perProcess);
    const crowded = all.slice(rate.max).map((at, i) => at - all[i]!).filter((span) => span < rate.windowMs);
    expect(crowded).toEqual([]);
  }, 90_000);

  it('keeps two processes holding places of one key under the concurrency cap together, and uses the cap', async () => {
    const max = 4;
    const args = JSON.stringify({ key: 'zoho:concurrency-shared-by-two-processes', max, takers: 5, count: 6, holdMs: 40 });
    const workers = [0, 1].map(() => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/concurrency-worker.ts', args], {
        cwd: repoRoot, env: { ...process.env, DATABASE_URL: ctx.databaseUrl! }, stdio: ['pipe', 'pipe', 'inherit'],
      });
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      return { child, next: async () => (await lines.next()).value as string };
    });
    for (const worker of workers) expect(await worker.next()).toBe('ready');
    for (const worker of workers) worker.child.stdin!.write('go\n');
    const held = await Promise.all(workers.map(async (worker) => (JSON.parse(await worker.next()) as { held: [number, number][] }).held));
    expect(held.flat()).toHaveLength(2 * 5 * 6);

    // The most holds open at one instant, over both processes: a hold starts after its place was
    // granted and ends before it is given back, so this can only be an undercount of what was held.
    const edges = held.flat().flatMap(([from, to]) => [[from, 1], [to, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let open = 0;
    let peak = 0;
    for (const [, step] of edges) peak = Math.max(peak, (open += step));
    expect(peak).toBeLessThanOrEqual(max);
    expect(peak).toBeGreaterThanOrEqual(max - 1);
    // Both processes held places at the same time.
    const [first, second] = held.map((spans) => ({ from: Math.min(...spans.map((s) => s[0])), to: Math.max(...spans.map((s) => s[1])) }));
    expect(Math.min(first!.to, second!.to)).toBeGreaterThan(Math.max(first!.from, second!.from));
  }, 90_000);
});
