/** Everything a Zoho route needs: the core context plus Zoho's orgs (DC, edition), grants' extras, lag and deletion logs. */
import type { CoreOptions, EmulatorContext } from '../core/context.js';
import type { ObjectType } from './modules.js';
import type { Channel } from './notifications.js';

export interface ZohoOptions extends CoreOptions {
  anchor: number;
  /** How far the modified-since listings trail writes (search realism; 0 = not at all). */
  lagMs: number;
}

export interface ZohoOrg {
  /** The DC the org lives in (datacentres.ts `location`). */
  location: string;
  edition: string;
}

/** A record moved to the recycle bin or deleted for good, as `/{module}/deleted` lists it. */
export interface DeletionEntry {
  id: string;
  displayName: string;
  type: 'recycle' | 'permanent';
  deletedBy: number;
  createdBy: number;
  deletedTime: number;
}

export interface ZohoContext extends EmulatorContext {
  options: ZohoOptions;
  orgs: Map<number, ZohoOrg>;
  /** Authorization codes asked with access_type=offline, and the DC each was issued in. */
  codes: Map<string, { offline: boolean; location: string }>;
  /** Refresh-token mint times, for the "10 access tokens per refresh token per 10 minutes" cap. */
  mints: Map<string, number[]>;
  deletions: Map<string, DeletionEntry[]>;
  /** Notification channels by `${orgId}:${channel_id}` (notifications.ts). */
  channels: Map<string, Channel>;
  /** The emulator's own origin (http://host:port), learnt from requests; api_domain derives from it. */
  origin: string;
}

export const deletionKey = (accountId: number, type: ObjectType) => `${accountId}:${type}`;
