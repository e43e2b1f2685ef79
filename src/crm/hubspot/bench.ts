import { pages, perObject, type BenchProfile } from '../../bench/profile.js';
import { objectTypes, type ObjectType } from '../platforms.js';
import { recordList } from './responses.js';
import { hubspotLimits, hubspotObjects } from './spec.js';

/**
 * HubSpot in the sync bench: list pages of 100 (the v3 maximum), search pages of 200 for
 * incremental runs, and a public OAuth app's 110 requests / 10 s as the limited scenario.
 */
export const hubspotBench: BenchProfile = {
  minimumRequests: ({ counts }) => perObject((object) => pages(counts[object], hubspotLimits.listPageSize)),

  // Per object: the search pages of the changes and the archived listing's page (deletions).
  incrementalMaxRequests: (changes) => perObject((object) => {
    const { creates, updates, deletes } = changes[object];
    return 2 * pages(creates + updates + deletes, hubspotLimits.searchPageSize);
  }),

  incrementalRule: '2 per 200 changes per object',

  async fetchCeiling(baseUrl, token) {
    let requests = 0;
    let records = 0;
    let checkMs = 0;
    await Promise.all(objectTypes.map(async (object) => {
      for await (const page of listPages(baseUrl, token, object)) {
        // What checking each page against the connector's response schema costs, timed on the same pages.
        const checking = performance.now();
        if (!recordList.safeParse(page).success) throw new Error(`the sandbox answered ${object} in a shape the connector refuses`);
        checkMs += performance.now() - checking;
        requests++;
        records += page.results.length;
      }
    }));
    return { requests, records, checkMs };
  },

  async *plainPages(baseUrl, token, object) {
    for await (const page of listPages(baseUrl, token, object)) yield page.results;
  },

  limited: { tier: 'oauth', label: 'OAuth-app limit (110 requests / 10 s)' },

  notes: [
    'A full sync spends 3 search requests beyond the list pages: HubSpot\'s record counts, for the progress bar.',
    'Incremental: search pages (200) per object, then the archived listing, which HubSpot orders by id and cannot filter by time, so it is read whole on every run (here a few pages; it grows with the account\'s archived records), then one association batch read per association type for records created since the last run.',
  ],
};

/** The list pages the connector reads (same fields and links), the plainest way: fetch and parse. */
async function* listPages(baseUrl: string, token: string, object: ObjectType): AsyncGenerator<{ results: { id: string }[]; paging?: { next?: { after: string } } }> {
  const spec = hubspotObjects[object];
  let after: string | undefined;
  do {
    const query = new URLSearchParams({ limit: String(hubspotLimits.listPageSize), archived: 'false', properties: spec.properties.join(',') });
    if (spec.associations.length) query.set('associations', spec.associations.join(','));
    if (after) query.set('after', after);
    const response = await fetch(`${baseUrl}/crm/v3/objects/${spec.path}?${query}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    const page = JSON.parse(await response.text()) as { results: { id: string }[]; paging?: { next?: { after: string } } };
    yield page;
    after = page.paging?.next?.after;
  } while (after);
}
