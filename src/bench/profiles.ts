import type { PlatformId } from '../crm/platforms.js';
import { hubspotBench } from '../crm/hubspot/bench.js';
import { pipedriveBench } from '../crm/pipedrive/bench.js';
import { salesforceBench } from '../crm/salesforce/bench.js';
import { zohoBench } from '../crm/zoho/bench.js';
import type { BenchProfile } from './profile.js';

/** The CRMs the sync bench can measure: each one's profile, from its own folder. */
export const benchProfiles: Partial<Record<PlatformId, BenchProfile>> = {
  hubspot: hubspotBench,
  salesforce: salesforceBench,
  pipedrive: pipedriveBench,
  zoho: zohoBench,
};
