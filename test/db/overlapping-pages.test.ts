/**
 * Pages that overlap reach the writer in one batch: a CRM's time windows re-read their boundary
 * (Zoho's Modified_Time windows past 100,000 records), so the same record can arrive twice before
 * a transaction. The bench found a 300k-record Zoho sync failing on it ("ON CONFLICT DO UPDATE
 * command cannot affect row a second time") until the queue gave up. The batch's last copy wins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanonicalRecord } from '../../src/crm/connector.js';
import { recordsRepository, serializeRows } from '../../src/sync/records-repository.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { connectHubspot } from '../helpers/connect.js';
import { engine } from '../helpers/database.js';
import { startTestSandbox } from '../helpers/sandbox.js';
import { asUser } from '../helpers/users.js';

const PUBLIC_URL = 'http://127.0.0.1:3997';

const contact = (remoteId: string, lastName: string, updatedAt: string): CanonicalRecord<'contacts'> => ({
  remoteId,
  fields: { firstName: 'Ada', lastName, email: `${remoteId}@example.com`, phone: null, jobTitle: null, ownerId: null },
  properties: { lastname: lastName },
  associations: { companies: [] },
  remoteCreatedAt: '2026-01-01T00:00:00.000Z',
  remoteUpdatedAt: updatedAt,
});

describe(`a batch holding a record twice on ${engine}`, () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let ctx: TestContext;

  beforeAll(async () => {
    sandbox = await startTestSandbox(`${PUBLIC_URL}/crm/oauth/callback`);
    ctx = await createTestContext({ PUBLIC_URL }, sandbox.wiring);
  });
  afterAll(async () => {
    await ctx?.close();
    await sandbox?.close();
  });

  it('writes each record once, as the later page has it', async () => {
    const integration = await connectHubspot(ctx, 'overlap');
    const firstPage = [contact('x-1', 'Before', '2026-02-01T00:00:00.000Z'), contact('x-2', 'Only', '2026-02-01T00:00:00.000Z')];
    const secondPage = [contact('x-1', 'After', '2026-02-02T00:00:00.000Z'), contact('x-3', 'New', '2026-02-02T00:00:00.000Z')];
    const batch = [serializeRows('contacts', firstPage), serializeRows('contacts', secondPage)];
    await asUser(ctx, integration.userId, (tx) => recordsRepository(tx, integration.id).upsertRows('contacts', batch, null));
    const { rows } = await asUser(ctx, integration.userId, (tx) => tx.query(
      'SELECT remote_id, last_name, remote_updated_at FROM crm_contacts WHERE integration_id = $1 ORDER BY remote_id', [integration.id]));
    expect(rows.map((row) => [row.remote_id, row.last_name])).toEqual([['x-1', 'After'], ['x-2', 'Only'], ['x-3', 'New']]);
  });
});
