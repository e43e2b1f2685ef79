import { loadConfig, type Config } from './config.js';
import { resolveEndpoints, type SandboxApp, type SandboxUrls } from './crm/endpoints.js';
import type { PlatformId } from './crm/platforms.js';
import { migrate } from './db/migrate.js';
import { openDatabase } from './db/pool.js';
import { loadKeyRing } from './lib/key-file.js';
import { createLogger, type Logger } from './logger.js';
import { createAuthenticator } from './server/auth.js';
import { postgresRateLimiter } from './crm/rate-limiter.js';
import { createTokenManager } from './crm/tokens.js';
import type { AppContext } from './app-context.js';

/**
 * Assembles the shared context every process kind (server, worker, CLI) starts from: validated
 * config, the database (migrated), the key ring, the logger, and where each CRM is reached.
 */
export interface RuntimeOptions {
  config?: Config;
  logger?: Logger;
  /** In-memory embedded database (tests); ignored when DATABASE_URL is set. */
  ephemeral?: boolean;
  sandbox?: { urls: SandboxUrls; apps: Partial<Record<PlatformId, SandboxApp>> };
}

export async function createContext(options: RuntimeOptions = {}): Promise<AppContext & { close(): Promise<void> }> {
  const config = options.config ?? loadConfig();
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: options.ephemeral ? null : config.PULSE_DATA_DIR,
    poolSize: config.PULSE_DB_POOL_SIZE,
  });
  try {
    const applied = await migrate(db.pool);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    const keys = loadKeyRing(config.PULSE_ENCRYPTION_KEY, config.PULSE_DATA_DIR);
    const sandbox = options.sandbox ?? (await defaultSandbox(config));
    const endpoints = (platform: PlatformId) => resolveEndpoints(config, platform, sandbox);
    // Live events are attached to the context later, by the processes that have them (server, worker).
    const tokens = createTokenManager({ pool: db.pool, keys, logger, endpoints, publish: async (userId, event) => ctx.events?.publish(userId, event),
      // The crash test's kill point: a rotated refresh token must already be safe when a process dies here.
      afterTokensStored: config.PULSE_TEST_KILL_AFTER_TOKEN_REFRESH ? () => process.kill(process.pid, 'SIGKILL') : undefined,
    });
    const ctx: AppContext & { close(): Promise<void> } = {
      config,
      logger,
      db,
      keys,
      authenticate: createAuthenticator(config),
      endpoints,
      services: { limiter: postgresRateLimiter(db.pool), tokens },
      close: () => db.close(),
    };
    return ctx;
  } catch (error) {
    await db.close();
    throw error;
  }
}

/**
 * Where separately started processes find the sandbox (`pulse-crm sandbox` on its fixed ports);
 * `pulse-crm start` passes the URLs of the one it runs in-process instead.
 */
async function defaultSandbox(config: Config): Promise<NonNullable<RuntimeOptions['sandbox']>> {
  if (config.PULSE_SANDBOX === 'off') return { urls: {}, apps: {} };
  // A platform with credentials uses the real CRM, the others their emulator; only deployments with
  // at least one platform left to emulate load the sandbox module at all.
  const { platformIds } = await import('./crm/platforms.js');
  const emulated = new Set<string>(platformIds.filter((id) => !config[`${id.toUpperCase() as Uppercase<PlatformId>}_CLIENT_ID`]));
  if (emulated.size === 0) return { urls: {}, apps: {} };
  const { sandboxWiring } = await import('./sandbox/wiring.js');
  const wiring = sandboxWiring(config.PULSE_SANDBOX_HOST, config.PULSE_SANDBOX_PORT);
  const keep = <T>(map: Record<string, T>) => Object.fromEntries(Object.entries(map).filter(([id]) => emulated.has(id)));
  return { urls: keep(wiring.urls), apps: keep(wiring.apps) };
}

