/**
 * Paging of one record's v4 associations. `GET /crm/v4/objects/{type}/{id}/associations/{toType}`
 * takes `limit` (default 500, "Limit 500 per call") and `after`, the cursor of the last record read,
 * returned as `paging.next.after` while more remain; v4 batch read takes `after` per input and
 * returns `paging` per result "only if there are more pages" (HubSpot's OpenAPI spec for CRM
 * Associations v4, operations `get-/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}_getPage`
 * and `post-/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read_getPage`;
 * https://developers.hubspot.com/docs/api/crm/associations/v4). Links come in toObjectId order and
 * the cursor is the last toObjectId of the page, so links added or removed between pages do not shift
 * the rest.
 */
import type { Link } from './links.js';

export const V4_PAGE_MAX = 500;

/** `limit` from the query: absent = 500, above 500 capped to 500; anything else not a positive integer = undefined. */
export function parsePageSize(raw: unknown): number | undefined {
  if (raw === undefined || raw === '') return V4_PAGE_MAX;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) return undefined;
  return Math.min(n, V4_PAGE_MAX);
}

/** One page of links after the cursor; undefined when the cursor is not an id. */
export function pageLinks(links: Link[], after: unknown, limit: number): { links: Link[]; next?: string } | undefined {
  if (after !== undefined && after !== '' && !/^\d+$/.test(String(after))) return undefined;
  const sorted = [...links].sort((a, b) => a.id - b.id);
  const from = after === undefined || after === '' ? 0 : sorted.findIndex((l) => l.id > Number(after));
  const start = from < 0 ? sorted.length : from;
  const page = sorted.slice(start, start + limit);
  return start + limit < sorted.length ? { links: page, next: String(page[page.length - 1]!.id) } : { links: page };
}
