/**
 * Record listing as Zoho pages it: `page`/`per_page` (≤ 200) reach only the first 2,000 records
 * (DISCRETE_PAGINATION_LIMIT_EXCEEDED); `page_token` (from `info.next_page_token`, valid 24 h) goes on
 * up to 100,000 (PAGINATION_LIMIT_EXCEEDED). Order: by id (default, desc unless asked asc), or by
 * (Modified_Time, id) ascending with `sort_by=Modified_Time` or an `If-Modified-Since` header, which
 * keeps records modified at or after that time and reads the lagging index (lag.ts).
 * Tokens are opaque to clients; here they carry a keyset position, so records written between
 * pages are neither skipped nor repeated.
 */
import type { SandboxAccount } from '../core/store.js';
import type { ZohoContext } from './context.js';
import { toSecond, zohoTime } from './ids.js';
import { laggingSlots } from './lag.js';
import type { ObjectType } from './modules.js';
import { fullRecord, type ZohoRecord } from './serialize.js';

export const MAX_PER_PAGE = 200;
export const DISCRETE_LIMIT = 2_000;
export const TOKEN_LIMIT = 100_000;
const TOKEN_TTL_MS = 24 * 3600_000;

export interface ListRequest {
  order: 'id-asc' | 'id-desc' | 'modified';
  sinceMs: number | null;
  perPage: number;
  /** 1-based page (discrete paging), or a decoded token position. */
  page: number;
  token: PageToken | null;
}

export interface PageToken {
  order: ListRequest['order'];
  sinceMs: number | null;
  /** Keyset: the last (updated, slot) served. */
  updated: number;
  slot: number;
  served: number;
  expiresAt: number;
}

export type ListError = { status: number; code: string; message: string; details: Record<string, unknown> };

export const encodeToken = (t: PageToken) => Buffer.from(JSON.stringify(t)).toString('base64url');
export function decodeToken(text: string): PageToken | null {
  try {
    const t = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as PageToken;
    return typeof t.slot === 'number' && typeof t.served === 'number' && typeof t.expiresAt === 'number' ? t : null;
  } catch {
    return null;
  }
}

interface Entry { slot: number; updated: number; record?: ZohoRecord }

/** Live entries in the modified order from `sinceMs`, as the (lagging) index shows them. */
function modifiedEntries(ctx: ZohoContext, account: SandboxAccount, type: ObjectType, sinceMs: number): Entry[] | null {
  const lagging = laggingSlots(ctx, account, type);
  if (lagging.size === 0) return null;
  const coll = account.data.collections.get(type)!;
  const order = coll.modifiedOrder();
  const out: Entry[] = [];
  for (let i = coll.modifiedLowerBound(sinceMs, false); i < order.length; i++) if (!lagging.has(order[i]!)) out.push({ slot: order[i]!, updated: coll.updated[order[i]!]! });
  for (const [slot, snapshot] of lagging) if (snapshot?.live && snapshot.updated >= sinceMs) out.push({ slot, updated: snapshot.updated, record: snapshot.record });
  return out.sort((a, b) => a.updated - b.updated || a.slot - b.slot);
}

export function listRecords(ctx: ZohoContext, account: SandboxAccount, type: ObjectType, req: ListRequest): { records: ZohoRecord[]; more: boolean; info: Record<string, unknown> } | ListError {
  const now = ctx.store.clock.now();
  const token = req.token;
  if (token && token.expiresAt <= now) return { status: 400, code: 'EXPIRED_VALUE', message: 'the given page_token has expired', details: { param_name: 'page_token' } };
  const served = token ? token.served : (req.page - 1) * req.perPage;
  if (!token && req.page * req.perPage > DISCRETE_LIMIT) {
    return { status: 400, code: 'DISCRETE_PAGINATION_LIMIT_EXCEEDED', message: `You can only get the first ${DISCRETE_LIMIT} records without using page_token param`, details: { limit: DISCRETE_LIMIT } };
  }
  if (token && served >= TOKEN_LIMIT) {
    return { status: 400, code: 'PAGINATION_LIMIT_EXCEEDED', message: `You can only get upto ${TOKEN_LIMIT} records using page_token param`, details: { param_name: 'page_token', limit: TOKEN_LIMIT } };
  }
  const order = token?.order ?? req.order;
  const sinceMs = token ? token.sinceMs : req.sinceMs;
  const coll = account.data.collections.get(type)!;
  const want = req.perPage + 1;
  const skip = token ? 0 : served;
  const entries: Entry[] = [];

  if (order === 'modified') {
    const since = sinceMs ?? -Infinity;
    const view = modifiedEntries(ctx, account, type, since);
    const after = (e: { updated: number; slot: number }) => !token || e.updated > token.updated || (e.updated === token.updated && e.slot > token.slot);
    if (view) {
      let skipped = 0;
      for (const e of view) if (after(e) && skipped++ >= skip && entries.length < want) entries.push(e);
    } else {
      const slots = coll.modifiedOrder();
      let i = token ? coll.modifiedLowerBound(token.updated, false) : coll.modifiedLowerBound(since, false);
      let skipped = 0;
      for (; i < slots.length && entries.length < want; i++) {
        const e = { slot: slots[i]!, updated: coll.updated[slots[i]!]! };
        if (after(e) && skipped++ >= skip) entries.push(e);
      }
    }
  } else if (order === 'id-asc') {
    for (const slot of coll.page(token ? token.slot + 1 : 0, skip + want, false).slice(skip)) entries.push({ slot, updated: coll.updated[slot]! });
  } else {
    let skipped = 0;
    for (let s = token ? token.slot - 1 : coll.size - 1; s >= 0 && entries.length < want; s--) if (coll.isLive(s) && skipped++ >= skip) entries.push({ slot: s, updated: coll.updated[s]! });
  }

  const more = entries.length > req.perPage;
  const page = entries.slice(0, req.perPage);
  const last = page[page.length - 1];
  const next = more && last ? encodeToken({ order, sinceMs, updated: last.updated, slot: last.slot, served: served + page.length, expiresAt: toSecond(now + TOKEN_TTL_MS) }) : null;
  return {
    records: page.map((e) => e.record ?? fullRecord(account, type, e.slot)),
    more,
    info: {
      per_page: req.perPage, count: page.length, page: token ? Math.floor(served / req.perPage) + 1 : req.page,
      sort_by: order === 'modified' ? 'Modified_Time' : 'id', sort_order: order === 'id-desc' ? 'desc' : 'asc',
      // Zoho's example answers carry `previous_page_token: null`; its OpenAPI file types the tokens as
      // strings (not nullable), so absent values are left out rather than sent as null (README).
      more_records: more, ...(next ? { next_page_token: next, page_token_expiry: zohoTime(now + TOKEN_TTL_MS) } : {}),
      call: false, email: false,
    },
  };
}
