import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationsRepository } from '../../src/db/integrations-repository.js';
import { asSystem } from '../../src/db/tenant.js';
import { connectHubspot } from '../helpers/connect.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { differences } from '../helpers/equality.js';
import { runCli } from '../helpers/process.js';
import { startTestSandbox } from '../helpers/sandbox.js';

/** `pulse-crm sync` and `pulse-crm status` as an operator runs them, against a PostgreSQL server. */
describe('pulse-crm sync and status', () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let ctx: TestContext;
  let env: Record<string, string>;

  beforeAll(async () => {
    sandbox = await startTestSandbox('http://127.0.0.1:3999/crm/oauth/callback', { records: { contacts: 700, companies: 100, deals: 200 } });
    ctx = await createTestContext({ PUBLIC_URL: 'http://127.0.0.1:3999' }, sandbox.wiring, 'postgres');
    env = { DATABASE_URL: ctx.databaseUrl!, PULSE_DATA_DIR: ctx.dataDir, PULSE_SANDBOX_PORT: new URL(sandbox.urls.hubspot).port, PUBLIC_URL: 'http://127.0.0.1:3999' };
  });
  afterAll(async () => {
    await ctx?.close();
    await sandbox?.close();
  });

  it('runs a sync in the foreground with a progress bar and a summary, then lists it in status', async () => {
    const integration = await connectHubspot(ctx, 'operator');
    const sync = runCli(['sync', integration.id], env);
    expect(await sync.exited).toBe(0);
    expect(sync.output()).toMatch(/Starting a full sync of .* \(log [0-9a-f-]{36}\)/);
    expect(sync.output()).toMatch(/\d+% \| \d+\/1000 records/);
    expect(sync.output()).toMatch(/SUCCESS: 1000 records \(contacts 700, companies 100, deals 200\) in [\d.]+ s, \d+ requests\./);
    expect(await differences(ctx, sandbox, integration.id)).toEqual([]);

    const status = runCli(['status'], env);
    expect(await status.exited).toBe(0);
    expect(status.output()).toContain(integration.id);
    expect(status.output()).toMatch(/success full, 1000 records/);
  });

  it('says when a sync an outage cut short is retried, in UTC', async () => {
    const integration = await connectHubspot(ctx, 'outage-watcher');
    // What a run the CRM's outage cut short leaves behind (test/db/sync-outage.test.ts makes one for real).
    const retryAt = new Date(Date.now() + 4 * 60_000);
    await asSystem(ctx.db.pool, (tx) => integrationsRepository(tx, ctx.keys).scheduleOutageRetry(integration.id, retryAt));
    const status = runCli(['status'], env);
    expect(await status.exited).toBe(0);
    const line = status.output().split('\n').find((row) => row.includes(integration.id));
    // The date comes first only when the retry falls on another day (UTC).
    expect(line).toMatch(new RegExp(`CRM unreachable, retrying at (\\d{4}-\\d{2}-\\d{2} )?${retryAt.toISOString().slice(11, 16)} UTC`));
  });

  it('says when the sync running now waits for the CRM\'s rate limit, in UTC', async () => {
    const integration = await connectHubspot(ctx, 'throttle-watcher');
    // What a run its rate limit holds back records with its heartbeat (test/db/sync-visibility.test.ts makes one for real).
    const since = new Date(Date.now() - 2 * 60_000);
    await asSystem(ctx.db.pool, (tx) => tx.query(
      `INSERT INTO crm_sync_logs (user_id, integration_id, sync_type, status, started_at, heartbeat_at, rate_limited_since)
       SELECT user_id, id, 'full', 'running', now(), now(), $2 FROM crm_integrations WHERE id = $1`, [integration.id, since]));
    const status = runCli(['status'], env);
    expect(await status.exited).toBe(0);
    const line = status.output().split('\n').find((row) => row.includes(integration.id));
    expect(line).toMatch(new RegExp(`syncing, waiting for HubSpot's rate limit since (\\d{4}-\\d{2}-\\d{2} )?${since.toISOString().slice(11, 16)} UTC`));
  });

  it('names an unknown integration clearly', async () => {
    const sync = runCli(['sync', '00000000-0000-4000-8000-000000000000'], env);
    expect(await sync.exited).toBe(1);
    expect(sync.output()).toMatch(/No integration 00000000-0000-4000-8000-000000000000\. "pulse-crm status" lists them\./);
  });
});
