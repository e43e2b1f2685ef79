/**
 * The in-memory world of one provider's sandbox: accounts (portals / orgs) with their users, records
 * and limit settings, the OAuth apps, and the tokens. Provider code seeds and reads it; the admin API
 * changes it.
 */
import { AssociationStore } from './associations.js';
import type { Clock } from './clock.js';
import type { Collection } from './collection.js';
import { TokenStore, type TokenFormats } from './tokens.js';

export interface SandboxUser {
  id: number;
  /** The CRM-side id of the user as a record owner (an owner id). */
  ownerId: number;
  email: string;
  firstName: string;
  lastName: string;
}

export interface LimitSettings {
  /** Name of the tier the numbers came from (provider-specific, e.g. 'oauth', 'professional', 'off'). */
  tier: string;
  windowMs: number;
  /** Requests per window per app and account; null = unlimited. */
  windowMax: number | null;
  /** Requests per day per account; null = unlimited. */
  dailyMax: number | null;
  /** Search requests per second per account; null = unlimited. */
  searchPerSecond: number | null;
  /** Whether responses carry the daily-quota headers (private apps do, OAuth apps do not). */
  dailyHeaders: boolean;
}

/** No limits at all (`rateLimits: false`), whatever tiers an emulator has. */
export const NO_LIMITS: LimitSettings = { tier: 'off', windowMs: 10_000, windowMax: null, dailyMax: null, searchPerSecond: null, dailyHeaders: false };

export interface Dataset {
  collections: Map<string, Collection>;
  associations: AssociationStore;
}

export interface SandboxAccount {
  id: number;
  name: string;
  domain: string;
  timeZone: string;
  currency: string;
  users: SandboxUser[];
  limits: LimitSettings;
  data: Dataset;
  createdAt: number;
}

/** An OAuth app registered with the provider. */
export interface SandboxApp {
  clientId: string;
  clientSecret: string;
  appId: number;
  name?: string;
  /** Registered redirect URIs; the authorize request must match one exactly. */
  redirectUris: string[];
  /** Required scopes (the authorize URL's `scope` must list exactly these). */
  scopes?: string[];
  /** Scopes the authorize URL may add through `optional_scope`. */
  optionalScopes?: string[];
  /** For CRMs whose webhooks belong to the app: the developer account's key for managing them. */
  developerApiKey?: string;
}

export class SandboxStore {
  readonly accounts = new Map<number, SandboxAccount>();
  readonly apps = new Map<string, SandboxApp>();
  readonly tokens: TokenStore;
  defaultAccountId = 0;

  constructor(
    readonly clock: Clock,
    public seed: number,
    formats: TokenFormats,
  ) {
    this.tokens = new TokenStore(clock, formats);
  }

  account(id?: number): SandboxAccount | undefined {
    return this.accounts.get(id ?? this.defaultAccountId);
  }

  collection(accountId: number, type: string): Collection | undefined {
    return this.accounts.get(accountId)?.data.collections.get(type);
  }

  appById(appId: number): SandboxApp | undefined {
    for (const app of this.apps.values()) if (app.appId === appId) return app;
    return undefined;
  }
}

export function emptyDataset(): Dataset {
  return { collections: new Map(), associations: new AssociationStore() };
}
