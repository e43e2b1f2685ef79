import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Integration } from '../../src/db/integrations-repository.js';
import { asSystem } from '../../src/db/tenant.js';
import { startSyncServices } from '../../src/sync/services.js';
import { connectThroughConsent, startEmulator, processEnvFor, type Emulator } from '../conformance/harness.js';
import { credentialsOf, expireStoredToken, reload } from '../helpers/connect.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { differences } from '../helpers/equality.js';
import { freePort, runCli, stop, waitFor, type RunningCli } from '../helpers/process.js';

/**
 * Pipedrive rotates the refresh token on every refresh and refuses the old one from then on, so the
 * token endpoint's answer is the only copy of the grant. A worker process is killed (SIGKILL, its own
 * test hook) the moment the rotated pair is stored, before it does anything else; the next worker
 * must still refresh with what was stored and finish the sync. Two processes on one PostgreSQL server.
 */
const seed = { contacts: 40, companies: 10, deals: 15 };
const heartbeatEnv = { PULSE_HEARTBEAT_TIMEOUT_MS: '2000', PULSE_SCHEDULER_INTERVAL_MS: '500', PULSE_WORKER_CONCURRENCY: '1', LOG_LEVEL: 'warn' };

describe('a worker killed right after Pipedrive rotated its refresh token', () => {
  let emulator: Emulator;
  let ctx: TestContext;
  let publicUrl: string;
  const processes: RunningCli[] = [];
  let services: Awaited<ReturnType<typeof startSyncServices>>;

  beforeAll(async () => {
    publicUrl = `http://127.0.0.1:${await freePort()}`;
    emulator = await startEmulator('pipedrive', { redirectUri: `${publicUrl}/crm/oauth/callback`, records: seed });
    ctx = await createTestContext({ PUBLIC_URL: publicUrl }, emulator.wiring, 'postgres');
    services = await startSyncServices(ctx, { workers: 0, scheduler: false });
  });
  afterAll(async () => {
    await Promise.all(processes.map((running) => stop(running, 'SIGKILL')));
    await services?.stop();
    await ctx?.close();
    await emulator?.close();
  });

  const tokenRequests = async () => (await emulator.admin('GET', '/_sandbox/requests')).byKind.token ?? 0;
  const worker = (extra: Record<string, string> = {}) => {
    const running = runCli(['worker'], { DATABASE_URL: ctx.databaseUrl!, PULSE_DATA_DIR: ctx.dataDir, PUBLIC_URL: publicUrl, ...processEnvFor(emulator), ...heartbeatEnv, ...extra });
    processes.push(running);
    return running;
  };
  /** The emulator's token endpoint asked directly, as Pipedrive would be: HTTP Basic client auth, a form body. */
  const exchange = async (refreshToken: string) => {
    const app = emulator.wiring.apps.pipedrive!;
    const response = await fetch(`${emulator.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    });
    return { status: response.status, body: await response.json() };
  };

  it('keeps the rotated token: the next worker refreshes with it and finishes the sync', async () => {
    const integration: Integration = await connectThroughConsent(ctx, 'pipedrive', 'refresh-crash');
    const before = (await credentialsOf(ctx, integration))!;
    await expireStoredToken(ctx, integration);
    const { logId } = await ctx.sync!.request({ userId: integration.userId, integrationId: integration.id });
    await emulator.admin('DELETE', '/_sandbox/requests');

    const killed = worker({ PULSE_TEST_KILL_AFTER_TOKEN_REFRESH: '1' });
    await killed.exited;
    expect(killed.child.signalCode, killed.output().slice(-2000)).toBe('SIGKILL');
    expect(await tokenRequests()).toBe(1);

    // The rotated pair is in the database; the refresh token it replaced is spent at Pipedrive.
    const after = (await credentialsOf(ctx, integration))!;
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(await exchange(before.refreshToken!)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    // The process died before its first page: nothing synced yet, and no claim left behind to wait for.
    const run = (await asSystem(ctx.db.pool, (tx) => tx.query('SELECT status, records_synced FROM crm_sync_logs WHERE id = $1', [logId]))).rows[0];
    expect(run).toEqual({ status: 'running', records_synced: 0 });
    const claim = (await asSystem(ctx.db.pool, (tx) => tx.query('SELECT token_refresh_claim FROM crm_integrations WHERE id = $1', [integration.id]))).rows[0];
    expect(claim.token_refresh_claim).toBeNull();

    // The next worker needs a new access token again: it refreshes with the rotated refresh token.
    await expireStoredToken(ctx, integration);
    await emulator.admin('DELETE', '/_sandbox/requests');
    const next = worker();
    const finished = await waitFor(async () => {
      const row = (await asSystem(ctx.db.pool, (tx) => tx.query('SELECT status FROM crm_sync_logs WHERE id = $1', [logId]))).rows[0];
      return row.status === 'running' ? undefined : row.status as string;
    }, 'the resumed run to finish', 60_000).catch((error) => { throw new Error(`${(error as Error).message}\n${next.output().slice(-3000)}`); });
    expect(finished).toBe('success');
    expect(await tokenRequests()).toBe(1);
    expect((await reload(ctx, integration)).status).toBe('connected');
    expect(await differences(ctx, emulator.url, integration.id)).toEqual([]);
    await stop(next);
  }, 120_000);
});
