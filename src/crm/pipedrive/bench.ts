import { pages, perObject, type BenchProfile } from '../../bench/profile.js';
import { objectTypes } from '../platforms.js';
import { recordList } from './responses.js';
import { pipedriveLimits, pipedriveObjects } from './spec.js';

/**
 * Pipedrive in the sync bench: v2 list pages of 500 (links are fields of the records, so no other
 * reads), and the Growth plan as the limited scenario: an OAuth app's 160 requests per 2 s and the
 * company's daily token budget (30,000 × 2 × 10 seats), spent at the documented v2 costs.
 */

/** Documented token costs per call (v2 list 10, get 1, create/update 5; v1 metadata lists and users/me as v1). */
const TOKEN_COST: Record<string, number> = { list: 10, get: 1, write: 5, metadata: 20, account: 2, search: 20 };

export const pipedriveBench: BenchProfile = {
  minimumRequests: ({ counts }) => perObject((object) => pages(counts[object], pipedriveLimits.pageSize)),

  // Per object the pages of `updated_since` changes; deals also the page of deleted deals.
  incrementalMaxRequests: (changes) => perObject((object) => {
    const { creates, updates, deletes } = changes[object];
    return pages(creates + updates + deletes, pipedriveLimits.pageSize);
  }) + 1,

  incrementalRule: 'one page per 500 changes per object, and the deleted deals\' page',

  async fetchCeiling(origin, token) {
    let requests = 0;
    let records = 0;
    let checkMs = 0;
    await Promise.all(objectTypes.map(async (object) => {
      let cursor: string | null | undefined;
      do {
        const query = new URLSearchParams({ limit: String(pipedriveLimits.pageSize), ...(cursor ? { cursor } : {}) });
        const response = await fetch(`${origin}/api/v2/${pipedriveObjects[object].path}?${query}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
        const page = JSON.parse(await response.text()) as { data: unknown[] | null; additional_data?: { next_cursor?: string | null } };
        // What checking each page against the connector's response schema costs, timed on the same pages.
        const checking = performance.now();
        if (!recordList.safeParse(page).success) throw new Error(`the emulator answered ${pipedriveObjects[object].path} in a shape the connector refuses`);
        checkMs += performance.now() - checking;
        requests++;
        records += page.data?.length ?? 0;
        cursor = page.additional_data?.next_cursor;
      } while (cursor);
    }));
    return { requests, records, checkMs };
  },

  // The emulator's list answers take time per record like the real API's; the bench measures Pulse and the machine.
  async prepare(admin) {
    await admin('PUT', '/_sandbox/settings', { listLatencyMsPerRecord: 0 });
  },

  limited: { tier: 'growth', label: 'Growth plan, OAuth app (160 requests / 2 s, 600,000 tokens a day for 10 seats)' },

  dailyCost: (byKind) => ({ spent: Object.entries(byKind).reduce((sum, [kind, n]) => sum + (TOKEN_COST[kind] ?? 1) * n, 0), unit: 'tokens' }),

  notes: [
    'Pipedrive: a full sync lists each object at 500 records a page and reads nothing else (links are fields of the records). Deleted deals are listed (`status=deleted`); deleted persons and organizations are not listable, so they arrive by webhook and by a full listing at least once a day.',
    'The daily budget is spent at the documented v2 costs (list 10 tokens, get 1, write 5; v1 metadata lists 20): a 1M-record full sync is about 2,000 list calls, 20,000 tokens.',
    'The emulator\'s simulated list latency (per record carried) is off in the bench, so the figures are Pulse\'s and this machine\'s, not a network\'s.',
  ],
};
