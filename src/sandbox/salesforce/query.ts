/**
 * SOQL over the emulator's records: `query` sees live rows, `queryAll` also the recycle bin (rows
 * deleted within the last 15 days; older ones are purged). Results beyond one batch (default 2,000,
 * `Sforce-Query-Options: batchSize=200..2000`) are kept behind a query locator that `nextRecordsUrl`
 * names; a locator unused for 15 minutes expires (INVALID_QUERY_LOCATOR).
 */
import type { SandboxAccount } from '../core/store.js';
import type { QueryLocator, SalesforceContext } from './context.js';
import { CONTACT_ROLE, fieldOf, ORGANIZATION, SOBJECTS, typeOfSObject, type SObjectSpec } from './objects.js';
import { API_VERSION, lagging, organizationRow, parentRow, recordRow, roleRow, rolesOf } from './records.js';
import { checkFields, matches, parseSoql, sortRows, SoqlError, type Query } from './soql.js';

export const RECYCLE_BIN_MS = 15 * 86_400_000;
const LOCATOR_IDLE_MS = 15 * 60_000;
export const DEFAULT_BATCH = 2000;

export interface QueryResult { totalSize: number; done: boolean; nextRecordsUrl?: string; records: Record<string, unknown>[] }

const PARENTS: Record<string, SObjectSpec> = { account: SOBJECTS.companies, opportunity: SOBJECTS.deals, contact: SOBJECTS.contacts };

/** Every row a query reads from, before WHERE: the object's records as SOQL sees them now. */
function sourceRows(ctx: SalesforceContext, a: SandboxAccount, spec: SObjectSpec, all: boolean): Record<string, unknown>[] {
  if (spec === CONTACT_ROLE) return rolesOf(ctx, a).filter((r) => all || !r.deleted).map((r) => roleRow(a, r));
  if (spec === ORGANIZATION) return [organizationRow(a)];
  const type = typeOfSObject(spec.type)!;
  const coll = a.data.collections.get(type)!;
  const hidden = lagging(ctx, a, type);
  const binFrom = ctx.store.clock.now() - RECYCLE_BIN_MS;
  const rows: Record<string, unknown>[] = [];
  for (let s = 0; s < coll.size; s++) {
    let row: Record<string, unknown> | null;
    if (hidden.has(s)) row = hidden.get(s)!;
    else if (coll.isLive(s) || (coll.isArchived(s) && coll.archivedAt[s]! >= binFrom)) row = recordRow(a, type, s);
    else row = null;
    if (!row || (row.IsDeleted && !all)) continue;
    if (spec.fields.some((f) => f.relationshipName === 'Account')) {
      Object.defineProperty(row, '__slot', { value: s, enumerable: false });
    }
    rows.push(row);
  }
  return rows;
}

function reader(ctx: SalesforceContext, a: SandboxAccount, spec: SObjectSpec) {
  const type = typeOfSObject(spec.type);
  return (row: Record<string, unknown>, name: string): unknown => {
    const dot = name.indexOf('.');
    if (dot < 0) return row[fieldOf(spec, name)?.name ?? name];
    const parent = type ? parentRow(a, type, (row as { __slot?: number }).__slot ?? -1, name.slice(0, dot)) : null;
    return parent ? parent[fieldOf(PARENTS[name.slice(0, dot).toLowerCase()]!, name.slice(dot + 1))!.name] : null;
  };
}

function project(row: Record<string, unknown>, fields: string[], spec: SObjectSpec, read: (row: Record<string, unknown>, name: string) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: row.attributes };
  for (const name of fields) {
    const dot = name.indexOf('.');
    if (dot < 0) {
      out[fieldOf(spec, name)!.name] = row[fieldOf(spec, name)!.name] ?? null;
      continue;
    }
    const relationship = spec.fields.find((f) => f.relationshipName?.toLowerCase() === name.slice(0, dot).toLowerCase())!.relationshipName!;
    const parentSpec = PARENTS[relationship.toLowerCase()]!;
    const parentId = row[`${relationship}Id`];
    if (!parentId) {
      out[relationship] = null;
      continue;
    }
    const parent = (out[relationship] ??= { attributes: { type: parentSpec.type, url: `/services/data/v${API_VERSION}/sobjects/${parentSpec.type}/${parentId}` } }) as Record<string, unknown>;
    parent[fieldOf(parentSpec, name.slice(dot + 1))!.name] = read(row, name) ?? null;
  }
  return out;
}

export function runQuery(ctx: SalesforceContext, a: SandboxAccount, soql: string, all: boolean, batchSize: number, version: string): QueryResult {
  const query: Query = parseSoql(soql);
  const spec = typeOfSObject(query.object) ? SOBJECTS[typeOfSObject(query.object)!] : [CONTACT_ROLE, ORGANIZATION].find((other) => other.type.toLowerCase() === query.object.toLowerCase()) ?? null;
  if (!spec) throw new SoqlError('INVALID_TYPE', `\nFROM ${query.object}\n     ^\nERROR at Row:1:Column:${soql.indexOf(query.object) + 1}\nsObject type '${query.object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`);
  checkFields(query, spec, spec === SOBJECTS.companies ? {} : { account: SOBJECTS.companies });
  const read = reader(ctx, a, spec);
  let rows = sourceRows(ctx, a, spec, all).filter((row) => matches(query.where, (name) => read(row, name), (name) => (name.includes('.') ? undefined : fieldOf(spec, name))));
  rows = sortRows(rows, query.orderBy, read);
  rows = rows.slice(query.offset, query.limit === null ? undefined : query.offset + query.limit);
  if (query.count) return { totalSize: rows.length, done: true, records: [] };
  const projected = rows.map((row) => project(row, query.fields, spec, read));
  return page(ctx, a.id, { rows: projected, position: 0, batchSize, touchedAt: ctx.store.clock.now(), accountId: a.id }, null, version);
}

function page(ctx: SalesforceContext, accountId: number, locator: QueryLocator, id: string | null, version: string): QueryResult {
  const records = locator.rows.slice(locator.position, locator.position + locator.batchSize);
  const next = locator.position + records.length;
  const done = next >= locator.rows.length;
  const key = id ?? `01gD0000000${String(ctx.nextLocator++).padStart(4, '0')}IAM`;
  if (done) ctx.locators.delete(key);
  else ctx.locators.set(key, { ...locator, position: next, touchedAt: ctx.store.clock.now(), accountId });
  return { totalSize: locator.rows.length, done, ...(done ? {} : { nextRecordsUrl: `/services/data/${version}/query/${key}-${next}` }), records };
}

/** The next batch behind `01g…-2000` (query and queryAll locators alike, as jsforce follows them under /query/). */
export function followLocator(ctx: SalesforceContext, a: SandboxAccount, ref: string, batchSize: number | null, version: string): QueryResult {
  const [key, offset] = ref.split('-');
  const locator = key ? ctx.locators.get(key) : undefined;
  if (!locator || locator.accountId !== a.id || ctx.store.clock.now() - locator.touchedAt > LOCATOR_IDLE_MS || Number(offset) !== locator.position) {
    if (locator && ctx.store.clock.now() - locator.touchedAt > LOCATOR_IDLE_MS) ctx.locators.delete(key!);
    throw new SoqlError('INVALID_QUERY_LOCATOR', 'invalid query locator');
  }
  return page(ctx, a.id, batchSize ? { ...locator, batchSize } : locator, key!, version);
}

/** `Sforce-Query-Options: batchSize=N` (200..2000; Salesforce may return more or fewer). */
export function batchSizeOf(header: string | string[] | undefined): number | null {
  const value = /batchSize\s*=\s*(\d+)/i.exec(String(header ?? ''))?.[1];
  return value ? Math.min(2000, Math.max(200, Number(value))) : null;
}
