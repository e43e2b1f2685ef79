/**
 * Measures the HubSpot sandbox at scale: time and memory to seed N records, then list-page (100) and
 * search-page (200) serving throughput over real HTTP on one connection at a time.
 * Usage: npx tsx src/sandbox/hubspot/bench-serve.ts [records=1000000] [pages=2000]
 */
import { startSandbox } from '../index.js';

const records = Number(process.argv[2] ?? 1_000_000);
const maxPages = Number(process.argv[3] ?? 2000);
const mb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);

const t0 = performance.now();
const sb = await startSandbox({ providers: ['hubspot'], port: 0, records, rateLimits: false });
const seedMs = performance.now() - t0;
const base = sb.urls.hubspot;
const { access_token: token } = (await (await fetch(`${base}/_sandbox/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { access_token: string };
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
console.log(`seeded ${records} records in ${Math.round(seedMs)} ms, RSS ${mb()} MiB`);

async function listRun(concurrency: number): Promise<void> {
  // Independent cursors spread over the id space so concurrent clients do not share pages.
  const counts = (await (await fetch(`${base}/_sandbox`)).json()) as { accounts: { counts: Record<string, number> }[] };
  const total = counts.accounts[0]!.counts.contacts!;
  let served = 0;
  let pages = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, lane) => {
      let after: string | undefined = lane === 0 ? undefined : String(101 + Math.floor((total * 2 * lane) / concurrency));
      while (pages < maxPages) {
        const res = await fetch(`${base}/crm/v3/objects/contacts?limit=100${after ? `&after=${after}` : ''}`, { headers });
        const body = (await res.json()) as { results: unknown[]; paging?: { next: { after: string } } };
        served += body.results.length;
        pages++;
        after = body.paging?.next.after;
        if (!after) break;
      }
    }),
  );
  const s = (performance.now() - started) / 1000;
  console.log(`list  x${concurrency}: ${pages} pages of 100 in ${s.toFixed(2)} s -> ${Math.round(pages / s)} pages/s, ${Math.round(served / s)} records/s, RSS ${mb()} MiB`);
}

async function searchRun(): Promise<void> {
  // Keyset over the modification date: the pattern an incremental sync uses past the 10k cap.
  let since = 0;
  let lastId = 0;
  let served = 0;
  let pages = 0;
  const started = performance.now();
  while (pages < maxPages / 2) {
    const res = await fetch(`${base}/crm/v3/objects/contacts/search`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: String(since) }] }],
        sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }],
        limit: 200,
        after: String(Math.min(served % 10_000, 9_800)),
      }),
    });
    const body = (await res.json()) as { results: { id: string; updatedAt: string }[] };
    if (body.results.length === 0) break;
    served += body.results.length;
    pages++;
    const last = body.results[body.results.length - 1]!;
    if (served % 10_000 === 0) (since = Date.parse(last.updatedAt)), (lastId = Number(last.id));
  }
  void lastId;
  const s = (performance.now() - started) / 1000;
  console.log(`search x1: ${pages} pages of 200 in ${s.toFixed(2)} s -> ${Math.round(pages / s)} pages/s, ${Math.round(served / s)} records/s, RSS ${mb()} MiB`);
}

await listRun(1);
await listRun(4);
await searchRun();
console.log(`final RSS ${mb()} MiB`);
await sb.close();
