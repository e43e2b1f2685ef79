import { SANDBOX_APPS, type StartSandboxOptions } from '../../src/sandbox/index.js';
import { buildApp } from '../../src/server/app.js';
import { startSyncServices } from '../../src/sync/services.js';
import { createTestContext, type TestContext } from './context.js';
import { freePort } from './process.js';
import { startTestSandbox } from './sandbox.js';

/**
 * The product as `pulse-crm start` assembles it, in this process: the API listening on a real port
 * (its public URL is where the sandbox sends OAuth redirects and webhooks), sync workers, and a
 * sandbox HubSpot of its own, on a fresh database.
 */
export interface RunningProduct {
  baseUrl: string;
  sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  ctx: TestContext;
  services: Awaited<ReturnType<typeof startSyncServices>>;
  close(): Promise<void>;
}

/** `appWebhooks`: the product gets the apps' developer credentials, as `npm start` does, and keeps their webhooks. */
export async function startProduct(options: { env?: Record<string, string>; sandbox?: StartSandboxOptions; workers?: number; appWebhooks?: boolean } = {}): Promise<RunningProduct> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const sandbox = await startTestSandbox(`${baseUrl}/crm/oauth/callback`, options.sandbox);
  if (options.appWebhooks) {
    for (const [id, app] of Object.entries(sandbox.wiring.apps)) {
      const developer = SANDBOX_APPS[id as keyof typeof SANDBOX_APPS].developer;
      if (developer) Object.assign(app, { developer });
    }
  }
  const ctx = await createTestContext({ PUBLIC_URL: baseUrl, ...options.env }, sandbox.wiring);
  const services = await startSyncServices(ctx, { workers: options.workers ?? 2, scheduler: false });
  const app = await buildApp(ctx, { serveWeb: false });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    baseUrl,
    sandbox,
    ctx,
    services,
    async close() {
      await app.close();
      await services.stop();
      await ctx.close();
      await sandbox.close();
    },
  };
}
