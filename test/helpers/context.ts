import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import type { SandboxApp, SandboxUrls } from '../../src/crm/endpoints.js';
import type { PlatformId } from '../../src/crm/platforms.js';
import { createLogger } from '../../src/logger.js';
import { createContext } from '../../src/runtime.js';
import type { AppContext } from '../../src/app-context.js';
import { createTestDatabase, type Engine } from './database.js';

export interface TestContext extends AppContext {
  dataDir: string;
  databaseUrl?: string;
  close(): Promise<void>;
}

/** The real context (real database, migrated) on a fresh database, quiet logs, a temp data dir. */
export async function createTestContext(
  env: Record<string, string> = {},
  sandbox?: { urls: SandboxUrls; apps: Partial<Record<PlatformId, SandboxApp>> },
  on?: Engine,
): Promise<TestContext> {
  const database = await createTestDatabase(on);
  const dataDir = mkdtempSync(join(tmpdir(), 'pulse-test-'));
  const config = loadConfig({
    PULSE_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PULSE_SANDBOX: 'off',
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    ...env,
  });
  const ctx = await createContext({ config, logger: createLogger('silent'), ephemeral: true, sandbox });
  // Extended in place: parts of the context (the token manager) hold on to this very object.
  const closeContext = ctx.close;
  return Object.assign(ctx, {
    dataDir,
    databaseUrl: database.url,
    async close() {
      await closeContext();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}
