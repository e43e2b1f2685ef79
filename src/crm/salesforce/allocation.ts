import type { HttpClient } from '../http.js';
import { ProviderError } from '../provider-error.js';
import { salesforceLimits } from './spec.js';

/**
 * The org's rolling 24-hour API allocation, as every REST answer states it:
 * `Sforce-Limit-Info: api-usage=25/15000` (used/max; other entries such as `per-app-api-usage` may
 * follow). The allocation is shared by every integration of the org and its own users, and a spent
 * one is a hard 403 for all of them; so a sync stops short of it (salesforceLimits.allocationStopShare)
 * and ends partial, and the next run resumes from its checkpoints.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm
 */
export interface ApiUsage {
  used: number;
  max: number;
}

/** `api-usage=used/max` from the header's value, or null when it has none. */
export function readApiUsage(value: string | null): ApiUsage | null {
  const match = value ? /(?:^|[;,\s])api-usage=(\d+)\/(\d+)/.exec(value) : null;
  if (!match) return null;
  const used = Number(match[1]);
  const max = Number(match[2]);
  return max > 0 ? { used, max } : null;
}

/** Why a sync must not spend another request of this allocation, or null while it may. */
export function allocationStop(usage: ApiUsage | null, stopShare: number = salesforceLimits.allocationStopShare): string | null {
  if (!usage || usage.used < usage.max * stopShare) return null;
  const share = Math.min(100, Math.floor((usage.used / usage.max) * 100));
  return `Salesforce's daily API allocation is ${share}% used (${usage.used.toLocaleString('en')} of ${usage.max.toLocaleString('en')} requests in the last 24 hours). `
    + `Pulse stops syncing at ${Math.round(stopShare * 100)}% to leave the rest to the org's other integrations and users; requests age out of the 24-hour window over the day.`;
}

/**
 * The connector's HTTP client, two ways: `observed` notes the usage every answer states; `spending`
 * also refuses (quota_exhausted) to send a request once the last answer said the stop share is
 * reached. Sync work goes through `spending`; the connection test through `observed`, so it can
 * still say how much is used.
 */
export function allocationMeter(http: HttpClient) {
  let last: ApiUsage | null = null;
  const observed = (async (method, path, options) => {
    const response = await http(method, path, options);
    last = readApiUsage(response.headers.get(salesforceLimits.limitHeader)) ?? last;
    return response;
  }) as HttpClient;
  const spending = (async (method, path, options) => {
    const stop = allocationStop(last);
    if (stop) throw new ProviderError('quota_exhausted', stop, { providerCode: 'API_ALLOCATION_RESERVE' });
    return observed(method, path, options);
  }) as HttpClient;
  return { observed, spending, last: () => last };
}
