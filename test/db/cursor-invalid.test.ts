import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSystem } from '../../src/db/tenant.js';
import type { Integration } from '../../src/db/integrations-repository.js';
import { createLogger } from '../../src/logger.js';
import { connectHubspot } from '../helpers/connect.js';
import { engine } from '../helpers/database.js';
import { differences } from '../helpers/equality.js';
import { startProduct, type RunningProduct } from '../helpers/running-product.js';
import { admin } from '../helpers/sandbox.js';
import { syncAndWait } from '../helpers/sync.js';

/**
 * A saved listing position the CRM no longer accepts (here HubSpot refusing a search `after` past
 * its 10,000-result cap, as a position saved by an older run could be) is not a failed sync: the
 * object is listed in full again, with a log line saying why, and ends equal to the CRM.
 */
describe(`a cursor the CRM refuses, on ${engine}`, () => {
  let product: RunningProduct;
  let integration: Integration;
  const logged: { msg: string; object?: string }[] = [];

  beforeAll(async () => {
    product = await startProduct({ sandbox: { records: { contacts: 250, companies: 20, deals: 30 } } });
    product.ctx.logger = createLogger('warn', { write: (line: string) => void logged.push(JSON.parse(line)) });
    integration = await connectHubspot(product.ctx, 'cursor-invalid');
    expect((await syncAndWait(product.ctx, integration.userId, integration.id)).status).toBe('success');
  });
  afterAll(() => product?.close());

  it('lists that object in full again, logs why, and ends equal', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const refused = { listing: { mode: 'changes', since, position: { after: '10000', windowSince: since } }, startedAt: new Date().toISOString() };
    await asSystem(product.ctx.db.pool, (tx) => tx.query(
      `UPDATE crm_sync_state SET cursor = $2 WHERE integration_id = $1 AND object = 'contacts'`, [integration.id, JSON.stringify(refused)],
    ));
    await admin(product.sandbox, 'POST', '/_sandbox/records/contacts', {});
    await admin(product.sandbox, 'DELETE', '/_sandbox/requests');

    const log = await syncAndWait(product.ctx, integration.userId, integration.id);
    expect({ status: log.status, error: log.errorMessage, contacts: log.contactsSynced }).toEqual({ status: 'success', error: null, contacts: 251 });
    expect(await differences(product.ctx, product.sandbox, integration.id)).toEqual([]);
    // Contacts: the full listing, 3 pages of 100 (it sweeps deletions itself). Companies and deals go on
    // incrementally: searches only, their archive swept minutes ago (archive-sweep.ts).
    expect((await admin(product.sandbox, 'GET', '/_sandbox/requests')).byKind.list).toBe(3);
    expect(logged.filter((line) => /no longer accepts the saved listing position/.test(line.msg)).map((line) => line.object)).toEqual(['contacts']);
  }, 60_000);
});
