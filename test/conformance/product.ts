import { buildApp } from '../../src/server/app.js';
import type { PlatformId } from '../../src/crm/platforms.js';
import { startSyncServices } from '../../src/sync/services.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { freePort } from '../helpers/process.js';
import { startEmulator, subscribeNotifications, type Emulator, type EmulatorOptions } from './harness.js';

/**
 * Pulse as `pulse-crm start` assembles it, in this process, on this project's engine: the API on a
 * real port (where the emulator sends OAuth redirects and change notifications), sync workers, and
 * one platform's emulator.
 */
export interface ConformanceProduct {
  baseUrl: string;
  emulator: Emulator;
  ctx: TestContext;
  close(): Promise<void>;
}

export async function startConformanceProduct(platform: PlatformId, options: { env?: Record<string, string>; records: EmulatorOptions['records'] }): Promise<ConformanceProduct> {
  // The port is chosen before the emulator, the database's socket and the workers start (they need
  // the product's URL), so one of them, or another process on the machine, may take it meanwhile
  // (EADDRINUSE, seen in CI): then everything starts again on another port.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnFreePort(platform, options);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === 3) throw error;
    }
  }
}

async function startOnFreePort(platform: PlatformId, options: { env?: Record<string, string>; records: EmulatorOptions['records'] }): Promise<ConformanceProduct> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const emulator = await startEmulator(platform, { redirectUri: `${baseUrl}/crm/oauth/callback`, records: options.records });
  const ctx = await createTestContext({ PUBLIC_URL: baseUrl, ...options.env }, emulator.wiring);
  const services = await startSyncServices(ctx, { workers: 2, scheduler: false });
  const app = await buildApp(ctx, { serveWeb: false });
  try {
    await app.listen({ port, host: '127.0.0.1' });
  } catch (error) {
    await app.close();
    await services.stop();
    await ctx.close();
    await emulator.close();
    throw error;
  }
  await subscribeNotifications(emulator, baseUrl);
  return {
    baseUrl,
    emulator,
    ctx,
    async close() {
      await app.close();
      await services.stop();
      await ctx.close();
      await emulator.close();
    },
  };
}
