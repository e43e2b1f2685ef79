import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Integration } from '../../src/db/integrations-repository.js';
import { dueIntegrations } from '../../src/sync/scheduler.js';
import { createRun } from '../../src/sync/request-sync.js';
import { reconcileStaleRuns } from '../../src/sync/reconcile.js';
import { asSystem } from '../../src/db/tenant.js';
import { connectHubspot } from '../helpers/connect.js';
import type { TestContext } from '../helpers/context.js';
import { engine } from '../helpers/database.js';
import { sandboxRecords } from '../helpers/equality.js';
import { waitFor } from '../helpers/process.js';
import { startProduct, type RunningProduct } from '../helpers/running-product.js';
import { waitForRun } from '../helpers/sync.js';
import { TEST_JWT_SECRET, tokenFor } from '../helpers/users.js';

/**
 * Reads an SSE stream over real HTTP, collecting events until stopped. `subscribed` settles on the
 * server's ": connected" comment, which it writes in the same tick as it subscribes the stream.
 */
function listen(url: string, token: string) {
  const events: { type: string; integrationId?: string }[] = [];
  const controller = new AbortController();
  let connected = () => {};
  const subscribed = new Promise<void>((resolve) => (connected = resolve));
  const done = (async () => {
    const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: controller.signal });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.split('\n').includes(': connected')) connected();
        const data = block.split('\n').find((line) => line.startsWith('data: '));
        if (data) events.push(JSON.parse(data.slice(6)));
      }
    }
  })().catch(() => {});
  // A stream that ends before it connected fails the wait instead of leaving it hanging.
  const ended = done.then(() => { throw new Error(`${url} ended before the server said it was connected`); });
  return { events, subscribed: Promise.race([subscribed, ended]), stop: () => { controller.abort(); return done; } };
}

describe(`live events, synced data API and scheduler on ${engine}`, () => {
  let product: RunningProduct;
  let ctx: TestContext;
  let services: RunningProduct['services'];
  let base: string;
  let erin: Integration;
  let frank: Integration;

  beforeAll(async () => {
    product = await startProduct({ env: { PULSE_AUTH_JWT_SECRET: TEST_JWT_SECRET }, sandbox: { records: { contacts: 140, companies: 20, deals: 40 } } });
    ({ ctx, baseUrl: base } = product);
    services = product.services;
    erin = await connectHubspot(ctx, 'erin');
    frank = await connectHubspot(ctx, 'frank');
  });
  afterAll(() => product?.close());

  const post = async (sub: string, path: string, body: object = {}) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${await tokenFor(sub)}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const get = async (sub: string, path: string) => (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${await tokenFor(sub)}` } })).json();

  it("streams a user's sync events to that user only", async () => {
    const erinStream = listen(`${base}/api/events`, await tokenFor('erin'));
    const frankStream = listen(`${base}/api/events?access_token=${await tokenFor('frank')}`, '');
    await Promise.all([erinStream.subscribed, frankStream.subscribed]);
    const erinRun = await (await post('erin', `/api/integrations/${erin.id}/sync`)).json();
    const frankRun = await (await post('frank', `/api/integrations/${frank.id}/sync`)).json();
    await waitForRun(ctx, erinRun.logId);
    await waitForRun(ctx, frankRun.logId);
    await waitFor(async () => (erinStream.events.some((e) => e.type === 'sync.finished') && frankStream.events.some((e) => e.type === 'sync.finished') ? true : undefined), 'both streams to see their sync finish', 10_000);
    await Promise.all([erinStream.stop(), frankStream.stop()]);
    expect(erinStream.events.map((e) => e.type)).toEqual(expect.arrayContaining(['sync.started', 'sync.progress', 'sync.finished']));
    expect(erinStream.events.every((e) => e.integrationId === erin.id)).toBe(true);
    expect(frankStream.events.every((e) => e.integrationId === frank.id)).toBe(true);
  });

  it('answers 202 with the log id for Sync now, and joins a run already going', async () => {
    const first = await post('erin', `/api/integrations/${erin.id}/sync`, { full: true });
    expect(first.status).toBe(202);
    const second = await post('erin', `/api/integrations/${erin.id}/sync`);
    const [a, b] = [await first.json(), await second.json()];
    expect(a).toEqual({ logId: expect.any(String), joined: false });
    expect(b).toEqual({ logId: a.logId, joined: true });
    expect((await post('frank', `/api/integrations/${erin.id}/sync`)).status).toBe(404);
    expect((await post('erin', `/api/integrations/${erin.id}/sync`, { full: 'yes' })).status).toBe(400);
    await waitForRun(ctx, a.logId);
  });

  it('pages synced contacts for the host app, filtered by integration and updated since, never another user\'s', async () => {
    const first = await get('erin', `/api/contacts?integrationId=${erin.id}&limit=100`);
    expect(first.items).toHaveLength(100);
    expect(first.items[0]).toMatchObject({ integrationId: erin.id, remoteId: expect.any(String), email: expect.stringContaining('@'), deletedAt: null });
    const second = await get('erin', `/api/contacts?integrationId=${erin.id}&limit=100&cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(40);
    expect(second.nextCursor).toBeNull();
    const ids = new Set([...first.items, ...second.items].map((item: { id: string }) => item.id));
    expect(ids.size).toBe(140);
    const future = await get('erin', `/api/contacts?updatedSince=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(future.items).toEqual([]);
    const deals = await get('erin', '/api/deals?limit=5');
    // Amounts come back as numbers, exactly the CRM's (null where the deal has none).
    const amounts = new Map((await sandboxRecords(product.sandbox, 'deals')).map((deal) => [String(deal.id), deal.properties.amount ? Number(deal.properties.amount) : null]));
    const sample = deals.items as { integrationId: string; remoteId: string; amount: unknown }[];
    expect(sample).toHaveLength(5);
    expect(sample.map(({ integrationId, remoteId, amount }) => ({ integrationId, remoteId, amount })))
      .toEqual(sample.map(({ remoteId }) => ({ integrationId: erin.id, remoteId, amount: amounts.get(remoteId) })));
    const bad = await get('erin', '/api/companies?updatedSince=yesterday');
    expect(bad.error.message).toMatch(/updatedSince must be an ISO 8601 date-time/);
  });

  it('reports queued and running sync runs in the Prometheus metrics', async () => {
    const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${await tokenFor('erin')}` } })).text();
    expect(text).toMatch(/pulse_sync_runs\{state="queued"\} \d+/);
    expect(text).toMatch(/pulse_sync_runs\{state="running"\} \d+/);
  });

  it('hands a run nobody is running (no job, no heartbeat) to a worker, which finishes it; then the integration syncs again', async () => {
    const run = await createRun(ctx, { userId: frank.userId, integrationId: frank.id });
    await asSystem(ctx.db.pool, (tx) => tx.query(`UPDATE crm_sync_logs SET heartbeat_at = now() - interval '1 hour' WHERE id = $1`, [run.logId]));
    expect(await reconcileStaleRuns(ctx, services.queue, 30_000)).toBe(1);
    expect((await waitForRun(ctx, run.logId)).status).toBe('success');
    const next = await ctx.sync!.request({ userId: frank.userId, integrationId: frank.id });
    expect(next.joined).toBe(false);
    await waitForRun(ctx, next.logId);
  });

  it('schedules integrations whose interval has passed, and not those syncing, disabled or paused', async () => {
    await asSystem(ctx.db.pool, (tx) => tx.query(`UPDATE crm_sync_logs SET started_at = started_at - interval '16 minutes' WHERE integration_id IN ($1, $2)`, [erin.id, frank.id]));
    expect((await dueIntegrations(ctx)).map((row) => row.id).sort()).toEqual([erin.id, frank.id].sort());
    await asSystem(ctx.db.pool, (tx) => tx.query(`UPDATE crm_integrations SET settings = settings || '{"sync_interval_minutes": 60}' WHERE id = $1`, [erin.id]));
    await asSystem(ctx.db.pool, (tx) => tx.query(`UPDATE crm_integrations SET sync_enabled = false WHERE id = $1`, [frank.id]));
    expect(await dueIntegrations(ctx)).toEqual([]);
  });
});
