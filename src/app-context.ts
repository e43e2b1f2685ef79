import type { Config } from './config.js';
import type { Database } from './db/pool.js';
import type { KeyRing } from './lib/secrets.js';
import type { Logger } from './logger.js';
import type { Authenticate } from './server/auth.js';
import type { ProviderEndpoints } from './crm/endpoints.js';
import type { PlatformId } from './crm/platforms.js';
import type { EventBus } from './events/types.js';
import type { RateLimiter } from './crm/rate-limiter.js';
import type { TokenManager } from './crm/tokens.js';

/**
 * What the server and worker share: plain values passed to plain functions, no container.
 * Later parts (queue, events, provider endpoints) are added as optional members by their modules.
 */
export interface AppContext {
  config: Config;
  db: Database;
  keys: KeyRing;
  logger: Logger;
  authenticate: Authenticate;
  /** Real or sandbox endpoints and client credentials for a platform. */
  endpoints(platform: PlatformId): ProviderEndpoints;
  /** Shared by every connector: the per-account request limiter and token refresh under lock. */
  services: { limiter: RateLimiter; tokens: TokenManager };
  /** Starting sync runs (absent where no queue runs, e.g. one-shot commands). */
  sync?: {
    /** `byPerson`: someone asked (Sync now), not the schedule: see request-sync.ts. */
    request(request: { userId: string; integrationId: string; full?: boolean; byPerson?: boolean }): Promise<{ logId: string; joined: boolean }>;
    /** Jobs waiting in the queue (for metrics). */
    queued?(): Promise<number>;
  };
  /** Live events to users' browsers (absent in one-shot CLI commands). */
  events?: EventBus;
}
