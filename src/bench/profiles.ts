import type { PlatformId } from '../crm/platforms.js';
import { hubspotBench } from '../crm/hubspot/bench.js';
import type { BenchProfile } from './profile.js';

/** The CRMs the sync bench can measure: each one's profile, from its own folder. */
export const benchProfiles: Partial<Record<PlatformId, BenchProfile>> = {
  hubspot: hubspotBench,
};
