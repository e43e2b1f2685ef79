import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processRecordBudget } from '../../src/sync/record-budget.js';
import { connectHubspot } from '../helpers/connect.js';
import { engine } from '../helpers/database.js';
import { differences } from '../helpers/equality.js';
import { startProduct, type RunningProduct } from '../helpers/running-product.js';
import { syncAndWait } from '../helpers/sync.js';

/**
 * A worker process's record budget smaller than a write batch: listings that wait for it write what
 * they hold instead of waiting for a fuller batch, so the budget frees and every sync finishes (the
 * many-tenants bench found 32 runs in two processes stuck, each holding records for a batch).
 */
describe(`a record budget smaller than a batch on ${engine}`, () => {
  let product: RunningProduct;

  beforeAll(async () => {
    product = await startProduct({ env: { PULSE_WORKER_RECORD_BUDGET: '300' }, sandbox: { records: { contacts: 1500, companies: 200, deals: 400 } } });
  });
  afterAll(() => product?.close());

  it('syncs everything, a few pages at a time, and gives the whole budget back', async () => {
    const integration = await connectHubspot(product.ctx, 'small-budget');
    const log = await syncAndWait(product.ctx, integration.userId, integration.id);
    expect(log, log.errorMessage ?? '').toMatchObject({ status: 'success', recordsSynced: 2100 });
    expect(await differences(product.ctx, product.sandbox, integration.id)).toEqual([]);
    expect(processRecordBudget(300).held).toBe(0);
  });
});
