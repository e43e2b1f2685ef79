import { deletionModeOf, type DeletedListingCost, type DeletionMode } from '../crm/connector-module.js';
import type { CanonicalRecord, Connector, ListCursor, RecordPage } from '../crm/connector.js';
import type { ObjectType } from '../crm/platforms.js';
import { ProviderError } from '../crm/provider-error.js';
import { withUser, type Tx } from '../db/tenant.js';
import { webhookEventsRepository } from '../db/webhook-events-repository.js';
import { sweepDue } from './archive-sweep.js';
import type { CustomFieldsReader } from './custom-fields.js';
import type { RecordBudget } from './record-budget.js';
import { recordsRepository, serializeRows } from './records-repository.js';
import { syncStateRepository, type SyncState } from './sync-state-repository.js';

/**
 * One object's sync: a full listing (first run, or asked for), else the changes since the last run
 * with an overlap, then deletions as the CRM reports them, then associations the records' own
 * timestamps cannot show. Pages stream through bounded memory — the next page is in flight while
 * this one is written — and each is committed together with the cursor that follows it.
 */
export interface ObjectSyncContext {
  pool: import('pg').Pool;
  userId: string;
  integrationId: string;
  connector: Connector;
  /** This run's id (its sync log): the marker a new full listing stamps on the records it sees. */
  runId: string;
  requestedFull: boolean;
  /** How this CRM reports deletions, for every object or per object (connector-module.ts). */
  deletions: DeletionMode | Record<ObjectType, DeletionMode>;
  /** `notified` deletions: the longest a full listing (which sweeps what was not seen) may be ago. */
  reconcileEveryMs?: number;
  /** `listing` deletions: whether the CRM's deleted listing reads "since" cheaply or costs the whole archive. */
  deletedListing: DeletedListingCost;
  /** A `whole_archive` deleted listing: how long after the last check of deletions an incremental run reads it again (archive-sweep.ts). */
  archiveSweepEveryMs: number;
  /** Aborted when this worker no longer owns the run: nothing more may be written. */
  signal: AbortSignal;
  /** Fetched records this process may hold across all its runs (record-budget.ts). */
  budget: RecordBudget;
  /** Counts records written, inside the transaction that writes them (throws to roll it back). */
  countWritten(tx: Tx, object: ObjectType, count: number): Promise<void>;
  /** After that transaction committed, with the same count: for live progress. */
  onWritten(object: ObjectType, count: number): void;
  /** The integration's custom field mappings, per object, as rows are written (custom-fields.ts); absent: none. */
  customFields?: Partial<Record<ObjectType, CustomFieldsReader>>;
  /** Something the run did that a person reading the logs should know (not a failure). */
  onNotice(object: ObjectType, message: string): void;
  /**
   * Selective sync (#16): whether a listed or pushed record is kept. One that is not is removed like
   * a deletion, whatever the listing (a full one pushed down to the CRM has left out most already).
   * Absent: every record.
   */
  keeps?(object: ObjectType, record: CanonicalRecord): boolean;
}

/** A page's records split by the run's filter: those to write, and the ids to remove as filtered out. */
function selected(run: ObjectSyncContext, object: ObjectType, records: CanonicalRecord[]): { kept: CanonicalRecord[]; filteredOut: string[] } {
  if (!run.keeps) return { kept: records, filteredOut: [] };
  const kept: CanonicalRecord[] = [];
  const filteredOut: string[] = [];
  for (const record of records) {
    if (run.keeps(object, record)) kept.push(record);
    else filteredOut.push(record.remoteId);
  }
  return { kept, filteredOut };
}

/** Re-read this much before the last run's start: provider indexes (HubSpot search) lag a little. */
export const OVERLAP_MS = 5 * 60_000;
const ASSOCIATION_BATCH = 1000;

const emptyState: SyncState = { phase: 'full', cursor: null, fullRun: null, highWater: null, deletionsCheckedAt: null, deletionsCursor: null };

export async function syncObject(run: ObjectSyncContext, object: ObjectType): Promise<void> {
  try {
    await syncFromState(run, object);
  } catch (error) {
    if (!(error instanceof ProviderError) || error.code !== 'cursor_invalid') throw error;
    // The CRM no longer accepts where we stood (an expired query locator, a search window it cannot
    // page): only a new full listing is sure to see everything. One reset per run; a full listing
    // that fails the same way is a real failure.
    run.onNotice(object, `${object}: the CRM no longer accepts the saved listing position (${error.message}); listing them all again.`);
    await withUser(run.pool, run.userId, (tx) => syncStateRepository(tx, run.integrationId).save(object, emptyState));
    await syncFromState(run, object);
  }
}

type InTx = <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;

/** A transaction of the run's tenant, refused once the run is no longer ours. */
function transactionsOf(run: ObjectSyncContext): InTx {
  return (work) => withUser(run.pool, run.userId, async (tx) => {
    run.signal.throwIfAborted();
    // Data and checkpoint commit together either way; not waiting for the WAL flush only means a
    // database crash could lose the last few pages together with their checkpoints (both or neither).
    await tx.query('SET LOCAL synchronous_commit = off');
    return work(tx);
  });
}

async function syncFromState(run: ObjectSyncContext, object: ObjectType): Promise<void> {
  const inTx = transactionsOf(run);
  let state = (await inTx((tx) => syncStateRepository(tx, run.integrationId).get(object))) ?? emptyState;
  const save = (tx: Tx, next: SyncState) => syncStateRepository(tx, run.integrationId).save(object, (state = next));
  const records = (tx: Tx) => recordsRepository(tx, run.integrationId);

  const deletions = deletionModeOf(run, object);
  const resumingFull = state.phase === 'full' && state.cursor !== null;
  // A retried job of a full run must not list again what this run already listed in full.
  const alreadyFullThisRun = state.fullRun === run.runId && state.phase === 'incremental';
  // A CRM that reports no deletions at all is listed in full every run: what is not seen is gone.
  // One that pushes them is listed in full now and then, for deletions a notification missed.
  const reconcileDue = deletions === 'notified' && state.phase === 'incremental' && !state.cursor && state.deletionsCheckedAt !== null
    && Date.now() - Date.parse(state.deletionsCheckedAt) > (run.reconcileEveryMs ?? DEFAULT_RECONCILE_MS);
  const wantsFull = run.requestedFull || state.phase === 'full' || deletions === 'reconcile' || reconcileDue;
  if (!resumingFull && !alreadyFullThisRun && wantsFull) {
    const startedAt = new Date().toISOString();
    await inTx((tx) => save(tx, { ...state, phase: 'full', fullRun: run.runId, cursor: { listing: { mode: 'full' }, startedAt } }));
  }

  if (state.phase === 'full') {
    const fullRun = state.fullRun!;
    await listPages(run, state.cursor!.listing, object, async (tx, batch) => {
      await records(tx).upsertRows(object, batch.pages, fullRun);
      await records(tx).softDelete(object, batch.deleted);
      if (batch.next) return save(tx, { ...state, cursor: { ...state.cursor!, listing: batch.next } });
      await records(tx).sweepUnseen(object, fullRun);
      const startedAt = state.cursor!.startedAt;
      await webhookEventsRepository(tx).markChangesListed(run.integrationId, object, startedAt);
      await save(tx, { ...emptyState, phase: 'incremental', fullRun, highWater: startedAt, deletionsCheckedAt: startedAt });
    }, inTx);
    // Deletions a notification pushed are applied in any mode: where the CRM also lists deletions,
  // this is only sooner (and a deletion the listing reports again changes nothing).
  await applyNotifiedDeletions(run, object, inTx);
    // A full listing through a search (a pushed-down filter) carries no associations: read them now.
    await syncAssociations(run, object, inTx);
    return;
  }

  if (!state.cursor) {
    const since = new Date(Date.parse(state.highWater!) - OVERLAP_MS).toISOString();
    await inTx((tx) => save(tx, { ...state, cursor: { listing: { mode: 'changes', since }, startedAt: new Date().toISOString() } }));
  }
  await listPages(run, state.cursor!.listing, object, async (tx, batch) => {
    await records(tx).upsertRows(object, batch.pages, null);
    await records(tx).softDelete(object, batch.deleted);
    if (!batch.next) await webhookEventsRepository(tx).markChangesListed(run.integrationId, object, state.cursor!.startedAt);
    await save(tx, batch.next ? { ...state, cursor: { ...state.cursor!, listing: batch.next } } : { ...state, cursor: null, highWater: state.cursor!.startedAt });
  }, inTx);

  // A deleted listing that costs the whole archive is read on its own, slower schedule (a sweep cut
  // short goes on at the next run whatever the schedule); one the CRM filters by time, at every run.
  if (deletions === 'listing' && (run.deletedListing === 'filtered' || sweepDue(state, run.archiveSweepEveryMs))) {
    await syncDeletions(run, object, () => state, save, inTx);
  }
  // Deletions a notification pushed are applied in any mode: where the CRM also lists deletions,
  // this is only sooner (and a deletion the listing reports again changes nothing).
  await applyNotifiedDeletions(run, object, inTx);
  await syncAssociations(run, object, inTx);
}

/** Records read by id per request and transaction, in a webhook run (HubSpot's batch read takes 100). */
const PUSHED_READ_BATCH = 100;

/**
 * A webhook run's part for one object: the records the CRM said changed, read by id (no listing, and
 * no search index that trails writes) and written with a listing's upsert; ids the CRM no longer
 * holds live are deleted. Then pushed deletions and association changes, as every run applies them.
 * No cursor moves: the next scheduled run lists the changes since its own high-water mark as ever,
 * so a lost delivery costs time, never data. Where the connector cannot read by id, changes are
 * listed the usual way (the listing marks the events it covered).
 */
export async function applyPushedChanges(run: ObjectSyncContext, object: ObjectType): Promise<void> {
  const inTx = transactionsOf(run);
  const readRecords = run.connector.readRecords?.bind(run.connector);
  for (;;) {
    const events = await inTx((tx) => webhookEventsRepository(tx).pendingChanges(run.integrationId, object, PUSHED_READ_BATCH));
    if (events.length === 0) break;
    if (!readRecords) return syncFromState(run, object);
    const read = await readRecords(object, [...new Set(events.map((event) => event.remoteId))]);
    const { kept: records, filteredOut } = selected(run, object, read.records);
    const missing = [...read.missing, ...filteredOut];
    const written = await inTx(async (tx) => {
      await recordsRepository(tx, run.integrationId).upsertRows(object, [serializeRows(object, records, run.customFields?.[object])], null);
      const deleted = await recordsRepository(tx, run.integrationId).softDelete(object, missing);
      await run.countWritten(tx, object, records.length + deleted);
      await webhookEventsRepository(tx).markProcessed(events.map((event) => event.id));
      return records.length + deleted;
    });
    run.onWritten(object, written);
    if (events.length < PUSHED_READ_BATCH) break;
  }
  await applyNotifiedDeletions(run, object, inTx);
  await syncAssociations(run, object, inTx);
}

/** A full listing of a `notified` object at least this often, when the module does not say. */
const DEFAULT_RECONCILE_MS = 24 * 3_600_000;

/** Deletions a webhook pushed for this object (deletion mode `notified`), applied and marked done. */
async function applyNotifiedDeletions(run: ObjectSyncContext, object: ObjectType, inTx: InTx): Promise<void> {
  for (;;) {
    const applied = await inTx(async (tx) => {
      const events = await webhookEventsRepository(tx).pendingDeletions(run.integrationId, object, ASSOCIATION_BATCH);
      const deleted = await recordsRepository(tx, run.integrationId).softDelete(object, [...new Set(events.map((event) => event.remoteId))]);
      await run.countWritten(tx, object, deleted);
      await webhookEventsRepository(tx).markProcessed(events.map((event) => event.id));
      return { events: events.length, deleted };
    });
    run.onWritten(object, applied.deleted);
    if (applied.events < ASSOCIATION_BATCH) return;
  }
}

/**
 * Records buffered per object at most: the fetcher waits when this many are fetched but not yet
 * written, so memory stays bounded whatever the CRM's size.
 */
export const MAX_BATCH_RECORDS = 2_000;
/**
 * The writer waits for this many records (or the listing's end) before a transaction: each one
 * costs a few round trips whatever its size, so 100-record pages written one by one spend about
 * as much on transactions as on rows (measured: 57 µs/row at 100 per statement, 35 at 1,000).
 */
export const MIN_BATCH_RECORDS = 1_000;

/**
 * Streams pages with fetching and writing pipelined: the fetcher keeps the next page in flight while
 * the writer commits what has arrived, at least MIN_BATCH_RECORDS at a time (less only at the end),
 * with the cursor after the last page it holds. A writer slower than the API takes everything that
 * arrived meanwhile (up to MAX_BATCH_RECORDS), so it makes larger transactions, never a backlog.
 */
/** Pages ready for the writer: their rows serialized (see serializeRows), and the cursor after them. */
interface RowBatch {
  pages: Buffer[];
  count: number;
  /** Remote ids the pages reported deleted (CRMs whose listings carry deletions). */
  deleted: string[];
  next: ListCursor | null;
}

async function listPages(
  run: ObjectSyncContext, first: ListCursor, object: ObjectType,
  write: (tx: Tx, batch: RowBatch) => Promise<void>, inTx: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>,
): Promise<void> {
  const arrived: (Omit<RowBatch, 'pages'> & { rows: Buffer })[] = [];
  let buffered = 0;
  let fetched = false;
  let failure: { error: unknown } | null = null;
  let stopped = false;
  // The fetcher waits for the process's record budget: the writer must not wait for a larger batch then.
  let starved = false;
  let wakeWriter: (() => void) | null = null;
  let wakeFetcher: (() => void) | null = null;
  const signal = (which: 'writer' | 'fetcher') => {
    const wake = which === 'writer' ? wakeWriter : wakeFetcher;
    if (which === 'writer') wakeWriter = null; else wakeFetcher = null;
    wake?.();
  };

  void (async () => {
    // Waits until `held` more records (fetched, not yet handed over) fit under the bound. A page
    // as large as the bound on its own (a CSV page of a bulk export, a 2,000-row query) waits only
    // for the writer to take what it already has: the writer cannot make room for a page it has not got.
    const room = async (held: number) => {
      while (buffered > 0 && buffered + held >= MAX_BATCH_RECORDS && !stopped) await new Promise<void>((resolve) => (wakeFetcher = resolve));
      return !stopped;
    };
    let inFlight: Promise<RecordPage> | null = (await room(0)) ? run.connector.listRecords(object, first) : null;
    while (inFlight) {
      const page = await inFlight;
      const { kept, filteredOut } = selected(run, object, page.records);
      const deleted = [...(page.deleted ?? []), ...filteredOut];
      const count = kept.length + deleted.length;
      // The process's share for this page, held until it is written: with many runs at once, the
      // listings that would overfill memory wait their turn here instead of asking for more.
      await run.budget.take(count, () => {
        starved = true;
        signal('writer');
      });
      starved = false;
      // The next request goes out before this page is serialized: a listing is a chain of cursors,
      // so anything done between a response and the next request lengthens the whole chain.
      inFlight = !stopped && page.next && (await room(count)) ? run.connector.listRecords(object, page.next) : null;
      inFlight?.catch(() => {}); // surfaced when awaited
      if (stopped) { // the writer has gone: nothing will write this page
        run.budget.give(count);
        return;
      }
      arrived.push({ rows: serializeRows(object, kept, run.customFields?.[object]), count, deleted, next: page.next });
      buffered += count;
      signal('writer');
    }
  })().then(() => { fetched = true; }, (error) => { failure = { error }; }).finally(() => signal('writer'));

  try {
    for (;;) {
      while (arrived.length === 0 || (buffered < MIN_BATCH_RECORDS && !fetched && !failure && !starved)) {
        // Pages that arrived before a fetch failed are written first: they and their cursor are good.
        if (arrived.length === 0 && failure) throw (failure as { error: unknown }).error;
        if (arrived.length === 0 && fetched) return;
        await new Promise<void>((resolve) => (wakeWriter = resolve));
      }
      const pages = arrived.splice(0, arrived.length);
      buffered = 0;
      signal('fetcher');
      const batch: RowBatch = {
        pages: pages.map((page) => page.rows),
        count: pages.reduce((sum, page) => sum + page.count, 0),
        deleted: pages.flatMap((page) => page.deleted),
        next: pages[pages.length - 1]!.next,
      };
      try {
        await inTx(async (tx) => {
          await write(tx, batch);
          await run.countWritten(tx, object, batch.count);
        });
      } finally {
        run.budget.give(batch.count);
      }
      run.onWritten(object, batch.count);
      if (!batch.next) return;
    }
  } finally {
    stopped = true;
    run.budget.give(arrived.splice(0).reduce((sum, page) => sum + page.count, 0));
    signal('fetcher');
  }
}

async function syncDeletions(
  run: ObjectSyncContext, object: ObjectType, current: () => SyncState,
  save: (tx: Tx, next: SyncState) => Promise<void>, inTx: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>,
): Promise<void> {
  if (!current().deletionsCursor) {
    await inTx((tx) => save(tx, { ...current(), deletionsCursor: { position: null, startedAt: new Date().toISOString() } }));
  }
  const checkedAt = current().deletionsCheckedAt;
  const since = checkedAt ? new Date(Date.parse(checkedAt) - OVERLAP_MS).toISOString() : null;
  for (;;) {
    const listing = current().deletionsCursor!;
    const page = await run.connector.listDeleted!(object, listing.position, since);
    const deleted = await inTx(async (tx) => {
      const count = await recordsRepository(tx, run.integrationId).softDelete(object, page.remoteIds);
      await run.countWritten(tx, object, count);
      await save(tx, page.next !== null
        ? { ...current(), deletionsCursor: { ...listing, position: page.next } }
        : { ...current(), deletionsCursor: null, deletionsCheckedAt: listing.startedAt });
      return count;
    });
    run.onWritten(object, deleted);
    if (page.next === null) return;
  }
}

/**
 * Associations a changes page could not carry: records first seen through a changes listing, and
 * records a webhook said had an association change (HubSpot does not move modified times for those).
 */
async function syncAssociations(run: ObjectSyncContext, object: ObjectType, inTx: InTx): Promise<void> {
  for (;;) {
    // Events fill what the unknown records leave of the batch: every event read is applied, so it
    // can be marked processed.
    const { unknown, events } = await inTx(async (tx) => {
      const unknown = await recordsRepository(tx, run.integrationId).unknownAssociations(object, ASSOCIATION_BATCH);
      const events = await webhookEventsRepository(tx).pendingAssociationChanges(run.integrationId, object, ASSOCIATION_BATCH - unknown.length);
      return { unknown, events };
    });
    const ids = [...new Set([...unknown, ...events.map((event) => event.remoteId)])];
    if (ids.length === 0) return;
    const associations = await run.connector.readAssociations(object, ids);
    await inTx(async (tx) => {
      await recordsRepository(tx, run.integrationId).setAssociations(object, associations);
      await webhookEventsRepository(tx).markProcessed(events.map((event) => event.id));
    });
    if (unknown.length + events.length < ASSOCIATION_BATCH) return;
  }
}
