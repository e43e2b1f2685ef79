import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLimitsRepository } from '../../src/db/api-limits-repository.js';
import type { Integration } from '../../src/db/integrations-repository.js';
import { buildApp } from '../../src/server/app.js';
import { connectThroughConsent } from '../conformance/harness.js';
import { engine } from '../helpers/database.js';
import { startProduct, type RunningProduct } from '../helpers/running-product.js';
import { syncAndWait } from '../helpers/sync.js';
import { TEST_JWT_SECRET, tokenFor } from '../helpers/users.js';

/**
 * Zoho meters calls in credits per rolling 24 h and reports none: Pulse counts what its calls cost
 * per org (shared by every process, in PostgreSQL), stops a run as partial before the allocation is
 * spent, saying when credits free up, and the connection test shows the org, its DC and edition, the
 * credits used and left, and the concurrency cap.
 */
describe(`Zoho credits counted by Pulse, on ${engine}`, () => {
  let product: RunningProduct;
  let integration: Integration;
  let key: string;
  const zohoAdmin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${product.sandbox.urls.zoho}${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${await response.text()}`);
    return response.json();
  };
  const credits = () => apiLimitsRepository(product.ctx.db.pool).window(key, 0, null);

  beforeAll(async () => {
    product = await startProduct({ env: { PULSE_AUTH_JWT_SECRET: TEST_JWT_SECRET }, sandbox: { records: { contacts: 900, companies: 50, deals: 50 } } });
    // A Free org: 5,000 credits per 24 h, 5 calls at once.
    await zohoAdmin('PUT', '/_sandbox/orgs/default', { edition: 'free' });
    integration = await connectThroughConsent(product.ctx, 'zoho', 'credits-user');
    key = `zoho:${integration.externalAccountId}:credits`;
  });
  afterAll(() => product?.close());

  it('counts one credit per call a sync makes', async () => {
    const before = (await credits()).used;
    const log = await syncAndWait(product.ctx, integration.userId, integration.id);
    expect(log.status).toBe('success');
    const spent = (await credits()).used - before;
    // Every call the run sent was charged (token refreshes are not API calls).
    expect(spent).toBe(log.requests);
    expect(spent).toBeGreaterThan(5);
  });

  it('shows DC and org, edition, credits used and left, and concurrency in the connection test', async () => {
    const app = await buildApp(product.ctx, { serveWeb: false });
    try {
      const response = await app.inject({ method: 'POST', url: `/api/integrations/${integration.id}/test`, headers: { authorization: `Bearer ${await tokenFor('credits-user')}` } });
      expect(response.statusCode).toBe(200);
      const checks = (response.json() as { checks: { id: string; status: string; message: string; usage?: { used: number; limit: number } }[] }).checks;
      const byId = (id: string) => checks.find((check) => check.id === id);
      expect(checks.filter((check) => check.status !== 'pass')).toEqual([]);
      expect(byId('org')!.message).toMatch(/\(\d+\) lives in .* data centre, on the free edition\./);
      const used = (await credits()).used;
      expect(byId('quota:API credits per 24 h')).toMatchObject({ status: 'pass', usage: { limit: 5000 } });
      expect(byId('quota:API credits per 24 h')!.usage!.used).toBeGreaterThanOrEqual(used - 5);
      expect(byId('credits')!.message).toMatch(/Pulse has spent [\d,]+ credits in the last 24 hours; [\d,]+ of 5,000 remain/);
      expect(byId('concurrency')!.message).toMatch(/At most 5 requests at once/);
    } finally {
      await app.close();
    }
  });
  it('ends a run partial, saying when credits free up, before the allocation is spent', async () => {
    // Other runs spent almost all of the day's 5,000 (charged now, so they free up in 24 h).
    const { used } = await credits();
    await apiLimitsRepository(product.ctx.db.pool).charge(key, 4_996 - used);
    const chargedAt = Date.now();
    const log = await syncAndWait(product.ctx, integration.userId, integration.id, true);
    expect(log.status).toBe('partial');
    const freeAt = /enough free up at (\S+)\./.exec(log.errorMessage ?? '')?.[1];
    expect(log.errorMessage).toMatch(/credits for the last 24 hours are spent by Pulse's count \(\d+ of 5000\)/);
    expect(Date.parse(freeAt!)).toBeGreaterThan(chargedAt + 23.9 * 3600_000);
    expect(Date.parse(freeAt!)).toBeLessThan(chargedAt + 24.1 * 3600_000);
    // Never past the allocation.
    expect((await credits()).used).toBeLessThanOrEqual(5_000);
  });

});
