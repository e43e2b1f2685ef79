import { pages, perObject, type BenchProfile } from '../../bench/profile.js';
import { objectTypes, type ObjectType } from '../platforms.js';
import { recordPage } from './responses.js';
import { zohoLimits, zohoModules } from './spec.js';

/**
 * Zoho CRM in the sync bench: pages of 200 (the v8 maximum), by page_token up to the 100,000 one
 * token chain reaches and in Modified_Time windows past that, and the Enterprise edition as the
 * limited scenario (credits per rolling 24 h; 20 concurrent calls, more than the sync's three
 * object chains ever make).
 */

interface Page { data: { Modified_Time: string }[]; info: { more_records: boolean; next_page_token?: string | null } }

/** One object listed the plainest way that reaches every record (the same token chains and windows the API forces). */
async function listAll(origin: string, token: string, object: ObjectType, total: number): Promise<{ requests: number; records: number; checkMs: number }> {
  const spec = zohoModules[object];
  const windows = total > zohoLimits.tokenReach;
  let requests = 0;
  let records = 0;
  let checkMs = 0;
  let since: string = zohoLimits.epoch;
  let pageToken: string | undefined;
  let served = 0;
  let newest = since;
  for (;;) {
    const query = new URLSearchParams({ fields: spec.fields.join(','), per_page: String(zohoLimits.pageSize), sort_by: windows ? 'Modified_Time' : 'id', sort_order: 'asc', ...(pageToken ? { page_token: pageToken } : {}) });
    const headers: Record<string, string> = { authorization: `Zoho-oauthtoken ${token}`, accept: 'application/json' };
    if (windows && !pageToken) headers['If-Modified-Since'] = since;
    const response = await fetch(`${origin}/crm/v8/${spec.module}?${query}`, { headers });
    requests++;
    if (response.status === 204 || response.status === 304) return { requests, records, checkMs };
    const page = JSON.parse(await response.text()) as Page;
    // What checking each page against the connector's response schema costs, timed on the same pages.
    const checking = performance.now();
    if (!recordPage.safeParse(page).success) throw new Error(`the emulator answered ${spec.module} in a shape the connector refuses`);
    checkMs += performance.now() - checking;
    records += page.data.length;
    if (!page.info.more_records || !page.info.next_page_token) return { requests, records, checkMs };
    if (!windows) { pageToken = page.info.next_page_token; continue; }
    for (const record of page.data) if (Date.parse(record.Modified_Time) > Date.parse(newest)) newest = record.Modified_Time;
    served += page.data.length;
    if (served + zohoLimits.pageSize <= zohoLimits.tokenReach) { pageToken = page.info.next_page_token; continue; }
    // A new window from the newest time seen (its ties are read again, as the connector does).
    since = newest;
    pageToken = undefined;
    served = 0;
  }
}

export const zohoBench: BenchProfile = {
  minimumRequests: ({ counts }) => perObject((object) => pages(counts[object], zohoLimits.pageSize)),

  // Per object the pages of changes (If-Modified-Since) and one page of the deleted listing.
  incrementalMaxRequests: (changes) => perObject((object) => {
    const { creates, updates } = changes[object];
    return pages(creates + updates, zohoLimits.pageSize) + 1;
  }),

  incrementalRule: 'one page per 200 changed records per object, and one deleted listing each',

  async fetchCeiling(origin, token) {
    let requests = 0;
    let records = 0;
    let checkMs = 0;
    await Promise.all(objectTypes.map(async (object) => {
      const count = await fetch(`${origin}/crm/v8/${zohoModules[object].module}/actions/count`, { headers: { authorization: `Zoho-oauthtoken ${token}` } });
      const { count: total } = (await count.json()) as { count: number };
      const read = await listAll(origin, token, object, total);
      requests += 1 + read.requests;
      records += read.records;
      checkMs += read.checkMs;
    }));
    return { requests, records, checkMs };
  },

  dailyCost: (byKind) => ({ spent: Object.values(byKind).reduce((a, b) => a + b, 0), unit: 'credits' }),

  limited: { tier: 'enterprise', label: 'Enterprise edition (credits per 24 h, 20 concurrent calls)' },

  notes: [
    `Zoho CRM: pages of ${zohoLimits.pageSize}. One page_token chain reaches ${zohoLimits.tokenReach.toLocaleString('en')} records, so a larger module is read in windows on Modified_Time, each window a new chain; a window re-reads the records sharing its start time. A full sync also asks each module's count (which listing to use, and the progress bar).`,
    'One credit per call: the allocation column is the full sync\'s calls against the Enterprise edition\'s daily credits. Its 20 concurrent calls do not bind: the sync runs one chain per module, three at a time.',
  ],
};
