import { z } from 'zod';
import type { AppWebhooks } from '../connector-module.js';
import type { HttpClient } from '../http.js';
import { ProviderError } from '../provider-error.js';
import { objectTypes } from '../platforms.js';
import { propertiesOf } from '../field-codec.js';
import { hubspotFields } from './spec.js';

/**
 * A HubSpot app's webhooks (v3 management API, the developer API key as `hapikey`): the target URL
 * is the app's, and so are the subscriptions, for every portal that installed it. What Pulse needs:
 * records created and deleted, associations changed (HubSpot moves no modified time for those), and
 * a change to each property we read (HubSpot subscribes property changes one property at a time).
 * https://developers.hubspot.com/docs/api/webhooks
 */
const singular = { contacts: 'contact', companies: 'company', deals: 'deal' } as const;
const RECORD_EVENTS = ['creation', 'deletion', 'associationChange'];
/** HubSpot's default for a new app; deliveries beyond it wait at HubSpot, not at us. */
const MAX_CONCURRENT_REQUESTS = 10;

interface Wanted { eventType: string; propertyName?: string }

export function wantedSubscriptions(): Wanted[] {
  return objectTypes.flatMap((object) => [
    ...RECORD_EVENTS.map((event) => ({ eventType: `${singular[object]}.${event}` })),
    ...propertiesOf(hubspotFields[object]).map((propertyName) => ({ eventType: `${singular[object]}.propertyChange`, propertyName })),
  ]);
}

const subscriptions = z.object({
  results: z.array(z.looseObject({ id: z.union([z.string(), z.number()]), eventType: z.string(), propertyName: z.string().optional(), active: z.boolean() })),
});
const settings = z.looseObject({ targetUrl: z.string() });
const key = (each: Wanted) => `${each.eventType}${each.propertyName ? `:${each.propertyName}` : ''}`;

async function currentSettings(http: HttpClient, base: string, query: Record<string, string>): Promise<{ targetUrl: string } | null> {
  try {
    return (await http('GET', `${base}/settings`, { query, schema: settings, label: `${base}/settings` })).data;
  } catch (error) {
    // An app nobody set a target for yet answers 404.
    if (error instanceof ProviderError && error.code === 'not_found') return null;
    throw error;
  }
}

export const hubspotAppWebhooks: AppWebhooks = {
  async ensure(http, app, targetUrl) {
    const base = `/webhooks/v3/${encodeURIComponent(app.appId)}`;
    const query = { hapikey: app.apiKey };
    const changed: string[] = [];
    if ((await currentSettings(http, base, query))?.targetUrl !== targetUrl) {
      await http('PUT', `${base}/settings`, { query, body: { targetUrl, throttling: { maxConcurrentRequests: MAX_CONCURRENT_REQUESTS, period: 'SECONDLY' } }, label: `${base}/settings` });
      changed.push('targetUrl');
    }
    const existing = new Map((await http('GET', `${base}/subscriptions`, { query, schema: subscriptions, label: `${base}/subscriptions` })).data.results
      .map((each) => [key(each), each]));
    const paused = [];
    for (const wanted of wantedSubscriptions()) {
      const found = existing.get(key(wanted));
      if (found?.active) continue;
      if (found) paused.push({ id: found.id, active: true });
      else await http('POST', `${base}/subscriptions`, { query, body: { ...wanted, active: true }, label: `${base}/subscriptions` });
      changed.push(key(wanted));
    }
    if (paused.length > 0) await http('POST', `${base}/subscriptions/batch/update`, { query, body: { inputs: paused }, label: `${base}/subscriptions/batch/update` });
    return { changed };
  },
};
