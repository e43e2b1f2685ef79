import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformId } from '../../src/crm/platforms.js';
import type { Integration } from '../../src/db/integrations-repository.js';
import { SANDBOX_APPS, SANDBOX_PROVIDERS, sandboxWiring, type SandboxProvider } from '../../src/sandbox/index.js';
import { startSyncServices } from '../../src/sync/services.js';
import { adminCall, connectThroughConsent, exportRecords } from '../conformance/harness.js';
import { credentialsOf, reload } from '../helpers/connect.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { differences } from '../helpers/equality.js';
import { freeBasePort, runCli, stop, waitFor, type RunningCli } from '../helpers/process.js';
import { syncAndWait, waitForRun } from '../helpers/sync.js';

const OBJECTS = ['contacts', 'companies', 'deals'] as const;

/**
 * `pulse-crm sandbox --data-dir` as a CRM would be: killed with SIGKILL after a connection, a sync
 * and changes made in the CRM, it comes back with the grant, the records, the deletions and the
 * change history it had acknowledged, so the next incremental sync just works.
 */
describe.each(SANDBOX_PROVIDERS)('%s emulator killed with SIGKILL and started again on its data directory', (provider: SandboxProvider) => {
  const platform = provider as PlatformId;
  const dataDir = mkdtempSync(join(tmpdir(), `pulse-sandbox-${provider}-`));
  let base: number;
  let url: string;
  let sandbox: RunningCli | undefined;
  let ctx: TestContext;
  let services: Awaited<ReturnType<typeof startSyncServices>>;
  let integration: Integration;
  const admin = (method: string, path: string, body?: unknown) => adminCall(url, method, path, body);

  async function startSandboxProcess(): Promise<RunningCli> {
    const cli = runCli(['sandbox', '--data-dir', dataDir, '--port', String(base), '--records', '200'], {});
    await waitFor(async () => {
      if (cli.child.exitCode !== null) throw new Error(`pulse-crm sandbox exited:\n${cli.output()}`);
      return (await fetch(`${url}/_sandbox`)).ok ? true : undefined;
    }, 'the sandbox to answer', 30_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${cli.output()}`);
    });
    return cli;
  }

  beforeAll(async () => {
    base = await freeBasePort(SANDBOX_PROVIDERS.length);
    url = sandboxWiring('127.0.0.1', base).urls[provider];
    sandbox = await startSandboxProcess();
    // The deal deleted below must come with the next incremental, whatever the CRM's deleted listing costs: sweep at every run.
    ctx = await createTestContext({ PUBLIC_URL: 'http://127.0.0.1:3000', PULSE_ARCHIVE_SWEEP_MINUTES: '0' }, { urls: { [platform]: url }, apps: { [platform]: SANDBOX_APPS[provider] } });
    services = await startSyncServices(ctx, { workers: 1, scheduler: false });
  }, 60_000);
  afterAll(async () => {
    await services?.stop();
    await ctx?.close();
    if (sandbox) await stop(sandbox);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the grant, records, deletions and change history; the next incremental sync refreshes the token and ends equal', async () => {
    integration = await connectThroughConsent(ctx, platform, `restart-${provider}`);
    const first = await syncAndWait(ctx, integration.userId, integration.id, true);
    expect(first.status).toBe('success');

    // Changes made in the CRM after that sync: a record of each kind created and one edited, a deal
    // deleted (the kind every CRM lists deletions of; some report other kinds' only by webhook).
    for (const object of OBJECTS) {
      const [edited] = await exportRecords(url, object);
      await admin('POST', `/_sandbox/records/${object}`, {});
      await admin('PATCH', `/_sandbox/records/${object}/${edited!.id}`, {});
    }
    const [, deal] = await exportRecords(url, 'deals');
    await admin('DELETE', `/_sandbox/records/deals/${deal!.id}`);
    const before = await Promise.all(OBJECTS.map((object) => exportRecords(url, object, 'all')));
    const tokensBefore = await credentialsOf(ctx, integration);

    sandbox!.child.kill('SIGKILL');
    await sandbox!.exited;
    sandbox = await startSandboxProcess();

    expect(await Promise.all(OBJECTS.map((object) => exportRecords(url, object, 'all')))).toEqual(before);
    expect(sandbox.output()).toMatch(/data dir .* \(\d+ writes restored in \d+ ms\)/);
    expect(sandbox.output()).not.toContain('answered differently');

    // Two hours later in the CRM the access token has expired: the sync must renew it with the
    // refresh token the CRM issued before it was killed.
    await admin('POST', '/_sandbox/clock', { advanceMs: 2 * 3_600_000 });
    const next = await syncAndWait(ctx, integration.userId, integration.id);
    expect(next.status, JSON.stringify(next.errors)).toBe('success');
    expect(next.syncType).toBe('incremental');
    expect(next.recordsSynced).toBeGreaterThan(0);
    expect((await credentialsOf(ctx, integration))!.accessToken).not.toBe(tokensBefore!.accessToken);
    expect(await differences(ctx, url, integration.id)).toEqual([]);
  }, 60_000);

  it('killed in the middle of a sync, it comes back and the sync carries on without a reconnect', async () => {
    // The sync's second request is held, so the kill lands while a page is being fetched.
    await admin('POST', '/_sandbox/faults', { kind: 'hang', hangMs: 60_000, skip: 1, next: 1 });
    await admin('DELETE', '/_sandbox/requests');
    const { logId } = await ctx.sync!.request({ userId: integration.userId, integrationId: integration.id, full: true });
    await waitFor(async () => ((await admin('GET', '/_sandbox/requests')).total >= 2 ? true : undefined), 'the sync to reach the held request');
    sandbox!.child.kill('SIGKILL');
    await sandbox!.exited;
    sandbox = await startSandboxProcess();

    // The run may ride the outage out; if it gave up, the next one (no reconnect) finishes the job.
    const interrupted = await waitForRun(ctx, logId);
    const last = interrupted.status === 'success' ? interrupted : await syncAndWait(ctx, integration.userId, integration.id, true);
    expect(last.status, JSON.stringify(last.errors)).toBe('success');
    expect((await reload(ctx, integration)).status).toBe('connected');
    expect(await differences(ctx, url, integration.id)).toEqual([]);
  }, 60_000);
});
