import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHubspot, credentialsOf } from '../helpers/connect.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { repoRoot } from '../helpers/process.js';
import { admin, startTestSandbox } from '../helpers/sandbox.js';

const REDIRECT_URI = 'http://127.0.0.1:3999/crm/oauth/callback';
const tokenRequests = async (sandbox: Awaited<ReturnType<typeof startTestSandbox>>) => (await admin(sandbox, 'GET', '/_sandbox/requests')).byKind.token ?? 0;

/** Two worker processes on one PostgreSQL server (embedded PGlite is one process by nature). */
describe('token refresh across processes', () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let ctx: TestContext;

  beforeAll(async () => {
    sandbox = await startTestSandbox(REDIRECT_URI);
    ctx = await createTestContext({ PUBLIC_URL: 'http://127.0.0.1:3999' }, sandbox.wiring, 'postgres');
  });
  afterAll(async () => {
    await ctx?.close();
    await sandbox?.close();
  });

  it('makes one token request for 50 simultaneous refreshes from two worker processes', async () => {
    const integration = await connectHubspot(ctx, 'refresh-two-processes');
    const failed = (await credentialsOf(ctx, integration))!.accessToken!;
    await admin(sandbox, 'DELETE', '/_sandbox/requests');
    const args = JSON.stringify({
      integrationId: integration.id, userId: integration.userId, failedToken: failed, count: 25,
      sandboxUrl: sandbox.urls.hubspot, ...sandbox.wiring.apps.hubspot,
    });
    const workers = [0, 1].map(() => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/refresh-worker.ts', args], {
        cwd: repoRoot, env: { ...process.env, DATABASE_URL: ctx.databaseUrl!, PULSE_DATA_DIR: ctx.dataDir, PULSE_SANDBOX: 'off' }, stdio: ['pipe', 'pipe', 'inherit'],
      });
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      return { child, next: async () => (await lines.next()).value as string };
    });
    for (const worker of workers) expect(await worker.next()).toBe('ready');
    for (const worker of workers) worker.child.stdin!.write('go\n');
    const results = await Promise.all(workers.map(async (worker) => JSON.parse(await worker.next()).distinct as string[]));
    expect(new Set(results.flat()).size).toBe(1);
    expect(await tokenRequests(sandbox)).toBe(1);
  });

});
