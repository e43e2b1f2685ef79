/**
 * SOQL over the emulator's records: `query` sees live rows, `queryAll` also the recycle bin (rows
 * deleted within the last 15 days; older ones are purged). Results beyond one batch (default 2,000,
 * `Sforce-Query-Options: batchSize=200..2000`) are kept behind a query locator that `nextRecordsUrl`
 * names; a locator unused for 15 minutes expires (INVALID_QUERY_LOCATOR).
 */
import type { SandboxAccount } from '../core/store.js';
import type { QueryLocator, SalesforceContext } from './context.js';
import { CONTACT_ROLE, fieldOf, ORGANIZATION, sfId, SOBJECTS, typeOfSObject, type ObjectType, type SObjectSpec } from './objects.js';
import { lagging } from './commit-lag.js';
import { API_VERSION, organizationRow, parentRow, recordRow, roleRow, rolesOf } from './records.js';
import { ALL_SLOTS, candidatesOf, slotsOf, type Candidates } from './candidates.js';
import { checkFields, matches, parseSoql, sortRows, SoqlError, type Query } from './soql.js';

export const RECYCLE_BIN_MS = 15 * 86_400_000;
const LOCATOR_IDLE_MS = 15 * 60_000;
export const DEFAULT_BATCH = 2000;

export interface QueryResult { totalSize: number; done: boolean; nextRecordsUrl?: string; records: Record<string, unknown>[] }

const PARENTS: Record<string, SObjectSpec> = { account: SOBJECTS.companies, opportunity: SOBJECTS.deals, contact: SOBJECTS.contacts };

/**
 * Every row a query reads from, before WHERE: the object's records as SOQL sees them now, in Id
 * order (a record's Id grows with its slot), within `slots`, made one at a time: a LIMIT or a
 * bulk job's page need not build a million rows.
 */
function* sourceRows(ctx: SalesforceContext, a: SandboxAccount, spec: SObjectSpec, all: boolean, slots: Candidates = ALL_SLOTS): Generator<Record<string, unknown> & { __slot?: number }> {
  if (spec === CONTACT_ROLE) {
    for (const role of rolesOf(ctx, a, slots)) if (all || !role.deleted) yield roleRow(a, role);
    return;
  }
  if (spec === ORGANIZATION) {
    yield organizationRow(a);
    return;
  }
  const type = typeOfSObject(spec.type)!;
  const hidden = lagging(ctx, a, type);
  for (const s of visibleSlots(ctx, a, type, all, slots, hidden)) {
    const row = hidden.get(s) ?? recordRow(a, type, s);
    Object.defineProperty(row, '__slot', { value: s, enumerable: false });
    yield row;
  }
}

/**
 * The slots of an object's records SOQL sees now, in Id order, without building their rows: a
 * write not yet committed shows the row as it was (`hidden`), a deleted record is in the recycle bin
 * for queryAll until it is purged.
 */
function* visibleSlots(ctx: SalesforceContext, a: SandboxAccount, type: ObjectType, all: boolean, slots: Candidates, hidden = lagging(ctx, a, type)): Generator<number> {
  const coll = a.data.collections.get(type)!;
  const binFrom = ctx.store.clock.now() - RECYCLE_BIN_MS;
  for (const s of slotsOf(slots, coll.size)) {
    const visible = hidden.has(s)
      ? hidden.get(s) != null && (all || !hidden.get(s)!.IsDeleted)
      : coll.isLive(s) || (all && coll.isArchived(s) && coll.archivedAt[s]! >= binFrom);
    if (visible) yield s;
  }
}

/** A query's matching rows in its order, projected, before paging; only as many as OFFSET + LIMIT need when the order is the Id's. */
function selectRows(ctx: SalesforceContext, a: SandboxAccount, query: Query, spec: SObjectSpec, all: boolean): Record<string, unknown>[] {
  const read = reader(ctx, a, spec);
  const test = (row: Record<string, unknown>) => matches(query.where, (name) => read(row, name), (name) => (name.includes('.') ? undefined : fieldOf(spec, name)));
  const inIdOrder = query.orderBy.length === 0 || (query.orderBy.length === 1 && query.orderBy[0]!.field.toLowerCase() === 'id' && !query.orderBy[0]!.descending);
  if (!inIdOrder || query.count) {
    const rows = sortRows([...sourceRows(ctx, a, spec, all, candidatesOf(ctx, a, spec, query.where))].filter(test), query.orderBy, read);
    return rows.slice(query.offset, query.limit === null ? undefined : query.offset + query.limit);
  }
  const wanted = query.limit === null ? Infinity : query.offset + query.limit;
  const rows: Record<string, unknown>[] = [];
  for (const row of sourceRows(ctx, a, spec, all, candidatesOf(ctx, a, spec, query.where))) {
    if (rows.length >= wanted) break;
    if (test(row)) rows.push(row);
  }
  return rows.slice(query.offset);
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
      const field = fieldOf(spec, name)!.name;
      out[field] = row[field] ?? null;
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

/**
 * A Bulk API query job's result: which rows matched when the job ran (their slots, or the rows
 * themselves for objects without slots), projected a CSV page at a time as results are read. A
 * page shows a row's values when it is read, where Salesforce snapshots them at job time: nothing a
 * sync relies on (it lists changes since the job's start anyway).
 */
export interface BulkSelection {
  size: number;
  page(start: number, max: number): Record<string, unknown>[];
}

/** Rows a bulk job scans between yields to the event loop: a job over 1M rows must not stall every other request. */
const SCAN_CHUNK = 5_000;

/**
 * A Bulk API query job's selection: the query is checked now (a bad one fails the job's creation),
 * and the scan runs as the job does, in chunks, while the job is InProgress.
 */
export function selectForBulk(ctx: SalesforceContext, a: SandboxAccount, soql: string, all: boolean): () => Promise<BulkSelection> {
  const query: Query = parseSoql(soql);
  const type = typeOfSObject(query.object);
  if (!type || query.orderBy.length > 0 || query.limit !== null || query.offset > 0) {
    const rows = runQuery(ctx, a, soql, all, Number.MAX_SAFE_INTEGER, `v${API_VERSION}`).records;
    return async () => ({ size: rows.length, page: (start, max) => rows.slice(start, start + max) });
  }
  const spec = SOBJECTS[type];
  checkFields(query, spec, spec === SOBJECTS.companies ? {} : { account: SOBJECTS.companies });
  const read = reader(ctx, a, spec);
  return async () => {
    const slots: number[] = [];
    let scanned = 0;
    const range = candidatesOf(ctx, a, spec, query.where);
    // Without a WHERE no row needs building to be selected.
    const candidates = query.where ? sourceRows(ctx, a, spec, all, range) : visibleSlots(ctx, a, type, all, range);
    for (const candidate of candidates) {
      if (typeof candidate === 'number') slots.push(candidate);
      else if (matches(query.where, (name) => read(candidate, name), (name) => (name.includes('.') ? undefined : fieldOf(spec, name)))) slots.push(candidate.__slot!);
      if (++scanned % SCAN_CHUNK === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return {
      size: slots.length,
      page: (start, max) => slots.slice(start, start + max).map((slot) => {
        const row = recordRow(a, type, slot);
        Object.defineProperty(row, '__slot', { value: slot, enumerable: false });
        return project(row, query.fields, spec, read);
      }),
    };
  };
}

export function runQuery(ctx: SalesforceContext, a: SandboxAccount, soql: string, all: boolean, batchSize: number, version: string): QueryResult {
  const query: Query = parseSoql(soql);
  const spec = typeOfSObject(query.object) ? SOBJECTS[typeOfSObject(query.object)!] : [CONTACT_ROLE, ORGANIZATION].find((other) => other.type.toLowerCase() === query.object.toLowerCase()) ?? null;
  if (!spec) throw new SoqlError('INVALID_TYPE', `\nFROM ${query.object}\n     ^\nERROR at Row:1:Column:${soql.indexOf(query.object) + 1}\nsObject type '${query.object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`);
  checkFields(query, spec, spec === SOBJECTS.companies ? {} : { account: SOBJECTS.companies });
  const read = reader(ctx, a, spec);
  const rows = selectRows(ctx, a, query, spec, all);
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
