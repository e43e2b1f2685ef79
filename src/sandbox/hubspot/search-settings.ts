/**
 * Two behaviours of HubSpot's search that a client must survive, switchable per sandbox (both off by
 * default so the emulator stays deterministic for tests that do not ask for them):
 *
 * - `searchLagMs`: search reads an index that trails writes; HubSpot's search guide lists among its
 *   limitations that newly created or updated objects can take a few moments to appear in search
 *   results (https://developers.hubspot.com/docs/api/crm/search#limitations; Okta's HubSpot connector
 *   advises waiting 10 s after a create, 60 s after an update). Records written within the last
 *   `searchLagMs` of the sandbox clock show their previous version to search (or nothing, if created
 *   within the lag); list/get/batch read see the write at once.
 * - `shuffleTies`: HubSpot documents no tie-break for `sorts`, so records with equal sort values come
 *   back in an order that is seeded-random per query (filters, sort and query text; not `after`), so all
 *   pages of one query agree and `after` offsets stay consistent, but a different query orders ties
 *   differently.
 *
 * `PUT /_sandbox/settings { searchLagMs?, shuffleTies? }` and `GET /_sandbox/settings`; `startSandbox({ search: { lagMs, shuffleTies } })`.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ADMIN, parse } from '../core/admin-input.js';
import type { HubspotContext } from './context.js';

export interface SearchSettings {
  searchLagMs: number;
  shuffleTies: boolean;
}

const OFF: SearchSettings = { searchLagMs: 0, shuffleTies: false };
const settings = new WeakMap<HubspotContext, SearchSettings>();

export function searchSettings(ctx: HubspotContext): SearchSettings {
  return settings.get(ctx) ?? OFF;
}

export function setSearchSettings(ctx: HubspotContext, change: Partial<SearchSettings>): SearchSettings {
  const next = { ...searchSettings(ctx), ...change };
  settings.set(ctx, next);
  return next;
}

const body = z.object({ searchLagMs: z.number().int().nonnegative().optional(), shuffleTies: z.boolean().optional() }).strict();

export function registerSearchSettingsAdmin(app: FastifyInstance, ctx: HubspotContext): void {
  app.get('/_sandbox/settings', ADMIN, async () => searchSettings(ctx));
  app.put('/_sandbox/settings', ADMIN, async (req, reply) => {
    const change = parse(body, req.body, reply);
    return change ? setSearchSettings(ctx, change) : reply;
  });
}
