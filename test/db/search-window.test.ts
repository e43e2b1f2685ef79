import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Integration } from '../../src/db/integrations-repository.js';
import { hubspotLimits } from '../../src/crm/hubspot/spec.js';
import { connectHubspot } from '../helpers/connect.js';
import { engine } from '../helpers/database.js';
import { differences } from '../helpers/equality.js';
import { startProduct, type RunningProduct } from '../helpers/running-product.js';
import { admin } from '../helpers/sandbox.js';
import { syncAndWait } from '../helpers/sync.js';

/**
 * HubSpot's search stops at 10,000 results per query. An incremental sync over more changed records
 * of one object than that pages the first 10,000, then continues with a new query from the newest
 * modification time it saw (src/crm/hubspot/connector.ts searchPage) — and ends equal to the CRM.
 */
describe(`incremental sync past HubSpot's 10,000 search results on ${engine}`, () => {
  const changed = hubspotLimits.searchResultCap + 150;
  let product: RunningProduct;
  let integration: Integration;

  beforeAll(async () => {
    // No limits in the sandbox: 100-record batch writes and 200-record search pages go as fast as they can.
    product = await startProduct({ sandbox: { records: { contacts: 0, companies: 0, deals: 0 }, rateLimits: false } });
    // Pulse keeps to HubSpot's 5 searches a second whatever the account: the 51 search pages here take
    // about 10 s, spent on purpose (the limiter is the product's, not a test's).
    integration = await connectHubspot(product.ctx, 'many-changes');
    expect(await syncAndWait(product.ctx, integration.userId, integration.id)).toMatchObject({ syncType: 'full', status: 'success', recordsSynced: 0 });
  });
  afterAll(() => product?.close());

  it('continues with a new time window after 10,000 results and ends equal to the sandbox', async () => {
    const { sandbox } = product;
    const cap = hubspotLimits.searchResultCap;
    // Created after the first sync, through HubSpot's own batch API: every one is a change the next sync must find.
    const { token } = await admin(sandbox, 'POST', '/_sandbox/private-apps', { scopes: ['crm.objects.contacts.write', 'crm.objects.contacts.read'] });
    const create = async (from: number, to: number) => {
      const inputs = Array.from({ length: to - from }, (_, i) => ({ properties: { email: `window-${from + i}@example.com`, firstname: 'Window', lastname: String(from + i) } }));
      const response = await fetch(`${sandbox.urls.hubspot}/crm/v3/objects/contacts/batch/create`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ inputs }),
      });
      expect(response.status, await response.clone().text()).toBe(201);
      await response.body?.cancel();
    };
    const createAll = async (from: number, to: number) => {
      for (let at = from; at < to; at += 100) await create(at, Math.min(at + 100, to));
    };
    await createAll(0, cap - 1);
    // The 10,000th change alone at its modification time (the sandbox clock moved on before and
    // after it): the second window starts at that time, so exactly that one record is read twice.
    await admin(sandbox, 'POST', '/_sandbox/clock', { advanceMs: 1000 });
    await create(cap - 1, cap);
    await admin(sandbox, 'POST', '/_sandbox/clock', { advanceMs: 1000 });
    await createAll(cap, changed);
    await admin(sandbox, 'DELETE', '/_sandbox/requests');

    const log = await syncAndWait(product.ctx, integration.userId, integration.id);
    expect({ type: log.syncType, status: log.status, error: log.errorMessage, contacts: log.contactsSynced }).toEqual({ type: 'incremental', status: 'success', error: null, contacts: changed + 1 });
    expect(await differences(product.ctx, sandbox, integration.id)).toEqual([]);
    // Contacts: 50 pages fill the first window, one more holds the rest; companies and deals: one empty page each.
    const searches = (await admin(sandbox, 'GET', '/_sandbox/requests')).byKind.search as number;
    expect(searches).toBe(cap / hubspotLimits.searchPageSize + 1 + 2);
  }, 60_000);
});
