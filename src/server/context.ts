import type { Config } from '../config.js';
import type { Database } from '../db/pool.js';
import type { KeyRing } from '../lib/secrets.js';
import type { Logger } from '../logger.js';
import type { Authenticate } from './auth.js';
import type { ProviderEndpoints } from '../crm/endpoints.js';
import type { PlatformId } from '../crm/platforms.js';

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
  /** Revokes at the provider and removes the integration with its data; false when not found. */
  disconnect?(userId: string, integrationId: string): Promise<boolean>;
}
