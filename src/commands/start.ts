import { getHeapStatistics } from 'node:v8';
import { loadConfig } from '../config.js';
import type { SandboxApp, SandboxUrls } from '../crm/endpoints.js';
import type { PlatformId } from '../crm/platforms.js';
import { createContext } from '../runtime.js';
import { assertSafeBinding } from '../server/auth.js';
import { AppError } from '../lib/errors.js';
import { startMemoryLog } from '../memory-log.js';
import { startSyncServices } from '../sync/services.js';

export interface StartOptions {
  worker: boolean;
  /** Run the CRM emulators in this process for platforms without credentials. */
  sandbox: boolean;
  web: boolean;
  http?: boolean;
}

/** `start`, `server` and `worker`: the same assembly with different parts switched on. */
export async function start(options: StartOptions): Promise<void> {
  const config = loadConfig();
  const http = options.http !== false;
  if (http) assertSafeBinding(config);
  const started = Date.now();
  const sandboxRef: { urls: SandboxUrls; apps: Partial<Record<PlatformId, SandboxApp>> } = { urls: {}, apps: {} };
  const ctx = await createContext({ config, sandbox: options.sandbox ? sandboxRef : undefined });
  const stopMemoryLog = startMemoryLog(config.PULSE_MEMORY_LOG_MS, ctx.logger, ctx.db);
  const stops: (() => Promise<void>)[] = [() => ctx.close(), async () => stopMemoryLog()];
  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    for (const stop of [...stops].reverse()) await stop().catch((error) => ctx.logger.error({ err: error }, 'shutdown step failed'));
  };
  const shutdown = async (signal: string) => {
    ctx.logger.info({ signal }, 'shutting down');
    await stopAll();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    if (options.sandbox) {
      const { startLocalSandbox } = await import('./local-sandbox.js');
      const sandbox = await startLocalSandbox(config, ctx.logger);
      if (sandbox) {
        Object.assign(sandboxRef, { urls: sandbox.urls, apps: sandbox.apps });
        stops.push(sandbox.close);
      }
    }
    const sync = await startSyncServices(ctx, { workers: options.worker ? config.PULSE_WORKER_CONCURRENCY : 0, scheduler: options.worker });
    stops.push(sync.stop);
    if (http) {
      // Loaded only by processes that serve HTTP: a worker keeps neither the server's nor the web build's code in memory.
      if (options.web) await (await import('../web-build.js')).ensureWebBuilt((message) => ctx.logger.info(message));
      const { buildApp } = await import('../server/app.js');
      const app = await buildApp(ctx);
      stops.push(() => app.close());
      await app.listen({ port: config.PORT, host: config.HOST }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') {
          throw new AppError('conflict', `Port ${config.PORT} on ${config.HOST} is already in use (is another pulse-crm running?). Stop it or set PORT to a free port.`);
        }
        throw error;
      });
      // Webhooks that belong to the app point at this server (in the background: nothing waits on a CRM).
      void (await import('../crm/app-webhooks.js')).ensureEveryAppWebhooks(ctx);
      ctx.logger.info({ url: config.publicUrl, database: ctx.db.kind, readyInMs: Date.now() - started, heapLimitMb: heapLimitMb() }, `Pulse CRM is ready on ${config.publicUrl}`);
      // One address for people, outside the JSON log: the one the OAuth redirect URL is built on.
      process.stderr.write(`\nPulse CRM is ready. Open ${config.publicUrl}\n\n`);
    } else {
      ctx.logger.info({ database: ctx.db.kind, concurrency: config.PULSE_WORKER_CONCURRENCY, heapLimitMb: heapLimitMb() }, 'sync worker is running');
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The heap this process may grow to (bin/heap-cap.js sets it): logged so an operator sees the bound. */
function heapLimitMb(): number {
  return Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
}
