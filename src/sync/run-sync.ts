import type { Connector, ListingSelection } from '../crm/connector.js';
import { subscribeNotifications } from '../crm/notifications.js';
import { randomUUID } from 'node:crypto';
import { integrationConnector } from '../crm/connectors.js';
import { recordFiltersRepository } from '../db/record-filters-repository.js';
import { runSelection } from './selection.js';
import { moduleFor } from '../crm/modules.js';
import { objectTypes, type ObjectType } from '../crm/platforms.js';
import { ProviderError, type ProviderErrorCode } from '../crm/provider-error.js';
import { integrationsRepository, type Integration } from '../db/integrations-repository.js';
import { syncLogsRepository, type SyncCounts, type SyncLog, type SyncLogError } from '../db/sync-logs-repository.js';
import { withUser } from '../db/tenant.js';
import { webhookEventsRepository } from '../db/webhook-events-repository.js';
import type { AppContext } from '../app-context.js';
import { refreshFieldOptions } from './field-options.js';
import { mappingsForRun, refreshFieldMetadataForRun, settleMappingsChangedDuringRun } from './field-mappings.js';
import { applyPushedChanges, OVERLAP_MS, syncObject } from './object-sync.js';
import { archiveSweepEveryMs } from './archive-sweep.js';
import { processRecordBudget } from './record-budget.js';
import { cutShortByOutage, outageRetryDelayMs } from './outage-retry.js';
import { MOSTLY_WAITING, rateLimitWaits } from './rate-limit-waits.js';
import { DEFAULT_INTERVAL_MINUTES } from './scheduler.js';

/**
 * One sync run of one integration, from its (already created) running log to the finished one.
 * Objects sync side by side; every provider failure code is handled here, in one place.
 */
export interface SyncJob {
  logId: string;
  integrationId: string;
  userId: string;
  full: boolean;
  /** A person asked for this run: it sweeps a whole-archive deleted listing whatever the schedule (archive-sweep.ts). */
  byPerson?: boolean;
}

/** Codes that end the whole run rather than one object's part of it. */
const stopsTheRun: ProviderErrorCode[] = ['auth_revoked', 'insufficient_scope', 'quota_exhausted'];

export async function runSync(ctx: AppContext, job: SyncJob): Promise<SyncLog | null> {
  const tenant = <T>(work: Parameters<typeof withUser<T>>[2]) => withUser(ctx.db.pool, job.userId, work);
  const integration = await tenant((tx) => integrationsRepository(tx, ctx.keys).find(job.integrationId));
  const log = integration && (await tenant((tx) => syncLogsRepository(tx).find(job.logId)));
  if (!integration || !log || log.status !== 'running') return log ?? null;
  const runToken = randomUUID();
  if (!(await tenant((tx) => syncLogsRepository(tx).claim(job.logId, runToken)))) return null;
  ctx.logger.info({ logId: job.logId, integrationId: job.integrationId, resumedAt: log.recordsSynced > 0 ? log.recordsSynced : undefined }, 'sync run claimed');
  // Aborted when another worker took the run over (we were presumed dead): stop writing at once.
  const lease = new AbortController();

  // A resumed run (after a crash) continues the tally its log already holds.
  const counts: SyncCounts = { contacts: log.contactsSynced, companies: log.companiesSynced, deals: log.dealsSynced };
  const errors: SyncLogError[] = [...log.errors];
  let requests = log.requests;
  // A run held back by its account's rate limit is slow, not stuck: each heartbeat says which, and since when.
  const waits = rateLimitWaits();
  let sampledAt = new Date();
  let rateLimitedSince: Date | null = null;
  const beat = async () => {
    const intervalStart = sampledAt;
    sampledAt = new Date();
    const wasLimited = rateLimitedSince !== null;
    rateLimitedSince = waits.sample() > MOSTLY_WAITING ? (rateLimitedSince ?? intervalStart) : null;
    const owned = await tenant((tx) => syncLogsRepository(tx).heartbeat(job.logId, runToken, errors, requests, rateLimitedSince));
    if (!owned) return lease.abort();
    if (wasLimited === (rateLimitedSince !== null)) return;
    ctx.logger.info({ integrationId: job.integrationId, logId: job.logId, rateLimitedSince: rateLimitedSince?.toISOString() },
      rateLimitedSince ? 'sync waiting for the CRM account\'s rate limit' : 'sync no longer held back by the rate limit');
    // The status panel reads the state with the integration: this tells it to read again.
    await ctx.events?.publish(job.userId, { type: 'integration.updated', integrationId: job.integrationId });
  };
  // From the claim on, well inside the timeout after which other workers presume this one dead.
  const heartbeat = setInterval(() => void beat().catch(() => {}), Math.min(5_000, ctx.config.PULSE_HEARTBEAT_TIMEOUT_MS / 4));
  // A run waits out a CRM that is briefly down (connection tests and the like answer at once).
  const services = {
    ...ctx.services, onRequest: () => { requests++; }, timeline: waits, outageWindowMs: ctx.config.PULSE_CRM_OUTAGE_WINDOW_MS,
  };
  // Selective sync: pushed into full listings by the connector where it can, applied to every record by the engine.
  const { selection, keeps } = runSelection(integration.platform, await tenant((tx) => recordFiltersRepository(tx).get(job.integrationId)));
  // Objects whose filter changed since their last full listing began list in full now (what it no longer selects goes).
  const relist = await tenant((tx) => recordFiltersRepository(tx).relistDue(job.integrationId));
  // Custom field mappings (#16): the listing asks for the CRM fields they read; rows carry their values.
  const mapped = await mappingsForRun(ctx, job.userId, job.integrationId, integration.platform);
  const connector = integrationConnector(ctx, integration, services, { ...selection, properties: mapped.properties });
  const { deletions, reconcileEveryMs, deletedListing } = moduleFor(integration.platform);
  // Asked only where it matters: a deleted listing that costs the whole archive, while pushes arrive.
  const deletionsPushed = deletedListing === 'whole_archive' && integration.realtime.state === 'on'
    && await tenant((tx) => webhookEventsRepository(tx).deletionsPushed(job.integrationId));
  // Someone who presses "Sync now" after deleting a record in the CRM expects it gone: their run sweeps.
  const archiveSweep = job.byPerson ? 0 : archiveSweepEveryMs(ctx.config.PULSE_ARCHIVE_SWEEP_MINUTES, deletionsPushed);
  const failures = new Map<ObjectType, ProviderError | Error>();
  let syncType = log.syncType;

  try {
    const pushed = syncType === 'webhook';
    // Notification channels that expire are renewed at every scheduled run (no-op for CRMs without them).
    if (!pushed) await subscribeNotifications(ctx, integration, services);
    const expected = log.recordsExpected ?? (log.syncType === 'full' ? await expectedTotal(connector, integration.platform, selection) : null);
    if (expected !== null && log.recordsExpected === null) await tenant((tx) => syncLogsRepository(tx).expect(job.logId, expected));
    await ctx.events?.publish(job.userId, { type: 'sync.started', integrationId: job.integrationId, logId: job.logId, syncType: log.syncType, expected });
    // Labels are read at a full sync someone asked for (and whenever none are stored), not again by a run
    // that is full only because it resumes a cut one: that run read them minutes ago, and on a CRM with
    // few, large pages they would be a good part of what the resumed run costs.
    await refreshFieldOptions(ctx, job, connector, job.full);
    const syncObjects = (sync: typeof syncObject, requestedFull: boolean) => Promise.allSettled(objectTypes.map(async (object) => {
      if (failures.has(object)) return;
      try {
        await sync({
          pool: ctx.db.pool, userId: job.userId, integrationId: job.integrationId, connector, deletions, reconcileEveryMs, deletedListing, archiveSweepEveryMs: archiveSweep, runId: job.logId, requestedFull: requestedFull || relist.includes(object), signal: lease.signal, customFields: mapped.customFields, budget: processRecordBudget(ctx.config.PULSE_WORKER_RECORD_BUDGET),
          async countWritten(tx, object, count) {
            // In the page's own transaction: a run presumed dead (another worker owns it now) commits nothing more.
            if (await syncLogsRepository(tx).addWritten(job.logId, runToken, object, count)) return;
            lease.abort();
            throw new Error('another worker took this sync over');
          },
          keeps,
          onNotice(object, message) {
            ctx.logger.warn({ integrationId: job.integrationId, logId: job.logId, object }, message);
          },
          onWritten(object, count) {
            counts[object] += count;
            void ctx.events?.publish(job.userId, { type: 'sync.progress', integrationId: job.integrationId, logId: job.logId, counts: { ...counts }, object, expected }).catch(() => {});
          },
        }, object);
      } catch (error) {
        if (lease.signal.aborted) return;
        if (!(error instanceof ProviderError)) {
          // A bug: stop the other objects' writers, then let the job fail and retry (it resumes).
          lease.abort();
          throw error;
        }
        failures.set(object, error);
        errors.push({ object, code: error.code, message: error.message, at: new Date().toISOString() });
      }
    }));
    let outcomes = await syncObjects(pushed ? applyPushedChanges : syncObject, job.full);
    // Someone asked for a sync while this run applied pushed changes, and joined it: it lists now.
    // Sealed in the same statement, so no one joins later expecting a listing this run will not do.
    const askedFor = pushed && !lease.signal.aborted ? await tenant((tx) => syncLogsRepository(tx).seal(job.logId)) : undefined;
    if (askedFor && askedFor !== 'webhook') {
      syncType = askedFor;
      // From here it is the run that was asked for, renewal included.
      await subscribeNotifications(ctx, integration, services);
      outcomes = [...outcomes, ...await syncObjects(syncObject, askedFor === 'full')];
    }
    const bug = outcomes.find((outcome) => outcome.status === 'rejected');
    if (bug) throw bug.reason;
    // Field metadata (#16) after the records: it serves mapping choices, not this run, so a CRM's daily
    // budget is spent on records first, and a run that already failed somewhere spends nothing more.
    if (!pushed && failures.size === 0 && !lease.signal.aborted) await refreshFieldMetadataForRun(ctx, job, connector, job.full);
    if (!lease.signal.aborted) {
      const resettled = await settleMappingsChangedDuringRun(ctx, job.userId, job.integrationId, integration.platform, mapped.loaded);
      if (resettled.length) ctx.logger.info({ integrationId: job.integrationId, logId: job.logId, objects: resettled }, 'field mappings changed during the run: custom fields re-derived');
    }
  } finally {
    clearInterval(heartbeat);
  }
  if (lease.signal.aborted) {
    ctx.logger.warn({ logId: job.logId }, 'another worker took this sync over; stopping');
    return null;
  }

  const fatal = [...failures.values()].find((error) => error instanceof ProviderError && stopsTheRun.includes(error.code)) as ProviderError | undefined;
  const status = runStatus(failures, counts);
  const message = failures.size === 0 ? null : summarize(failures);
  const retryAt = cutShortByOutage(failures.values()) ? nextOutageRetry(ctx, integration) : null;
  let missedPushes = false;
  const finished = await tenant(async (tx) => {
    const done = await syncLogsRepository(tx).finish(job.logId, status, counts, errors, message, requests, runToken);
    if (!done) return null;
    const integrations = integrationsRepository(tx, ctx.keys);
    // A listing is the safety net under pushed changes: what it had to bring itself, pushes missed.
    if (syncType === 'incremental' && integration.realtime.lastPushAt && status !== 'failed') {
      const pushedSince = integration.lastSyncAt ? new Date(Date.parse(integration.lastSyncAt) - OVERLAP_MS).toISOString() : '-infinity';
      missedPushes = await webhookEventsRepository(tx).listingFoundUnpushedChanges(job.integrationId, log.startedAt, pushedSince, moduleFor(integration.platform).webhooks?.pushes);
      if (missedPushes) await integrations.notePushesMissed(job.integrationId);
    }
    if (retryAt) await integrations.scheduleOutageRetry(job.integrationId, retryAt);
    else await integrations.clearOutageRetry(job.integrationId);
    await integrations.update(job.integrationId, {
      // "Last synced" means the CRM's data is all here as of then: only a complete listing moves it.
      // (Deletions a CRM lists only as its whole archive are as of the last sweep: archive-sweep.ts.)
      lastSyncAt: status === 'success' && syncType !== 'webhook' ? new Date() : undefined,
      lastError: message,
      ...(fatal?.code === 'insufficient_scope' ? { status: 'error' as const } : {}),
    });
    return done;
  });
  if (!finished) return null;
  await ctx.events?.publish(job.userId, {
    type: 'sync.finished', integrationId: job.integrationId, logId: job.logId, status, counts: { ...counts }, durationMs: finished.durationMs ?? 0,
  });
  if (message) await ctx.events?.publish(job.userId, { type: 'sync.error', integrationId: job.integrationId, logId: job.logId, code: fatal?.code ?? (retryAt ? 'unreachable' : 'partial'), message });
  ctx.logger.info({ integrationId: job.integrationId, logId: job.logId, status, counts, requests, durationMs: finished.durationMs }, 'sync finished');
  if (retryAt) ctx.logger.warn({ integrationId: job.integrationId, logId: job.logId, retryAt: retryAt.toISOString() }, 'CRM unreachable; the run is retried by itself');
  if (missedPushes) {
    ctx.logger.warn({ integrationId: job.integrationId, logId: job.logId }, 'the listing found changes the CRM did not push; real-time updates degraded, listing at the normal interval until the next push');
    await ctx.events?.publish(job.userId, { type: 'integration.updated', integrationId: job.integrationId });
  }
  return finished;
}

/** When to try again after this run, one more outage in a row than the integration has had. */
function nextOutageRetry(ctx: AppContext, integration: Integration): Date {
  const intervalMs = (Number(integration.settings.sync_interval_minutes) || DEFAULT_INTERVAL_MINUTES) * 60_000;
  return new Date(Date.now() + outageRetryDelayMs(integration.outageRetries, ctx.config.PULSE_CRM_OUTAGE_RETRY_MS, intervalMs));
}

/**
 * `success` when every object synced. Otherwise `partial` if anything of this run is kept — an object
 * done, records written, or a spent quota (nothing is wrong; the next run resumes from the
 * checkpoints) — and `failed` only when the run kept nothing at all.
 */
function runStatus(failures: Map<ObjectType, ProviderError | Error>, counts: SyncCounts): Exclude<SyncLog['status'], 'running'> {
  if (failures.size === 0) return 'success';
  const quotaSpent = [...failures.values()].some((error) => error instanceof ProviderError && error.code === 'quota_exhausted');
  const someObjectsSynced = failures.size < objectTypes.length;
  const someRecordsWritten = counts.contacts + counts.companies + counts.deals > 0;
  return quotaSpent || someObjectsSynced || someRecordsWritten ? 'partial' : 'failed';
}

/**
 * The CRM's own count of what a full run will list; a progress bar is not worth failing a run for.
 * An object whose filter the CRM applies lists what matches it (counted with the filter where the CRM
 * can count it whole); one Pulse filters lists everything, and every record listed counts as progress.
 */
async function expectedTotal(connector: Connector, platform: Integration['platform'], selection: ListingSelection): Promise<number | null> {
  const count = (object: ObjectType) => {
    const filter = selection.filters[object];
    if (!filter || !moduleFor(platform).filters.pushDown(object, filter).pushed) return connector.countRecords(object);
    return connector.countMatching ? connector.countMatching(object, filter) : Promise.resolve(null);
  };
  try {
    const counts = await Promise.all(objectTypes.map(count));
    return counts.every((count) => count !== null) ? counts.reduce((sum, count) => sum! + count!, 0) : null;
  } catch {
    return null;
  }
}

function summarize(failures: Map<ObjectType, ProviderError | Error>): string {
  // One cause often stops every object (a revoked grant): say it once, naming the objects it hit.
  const byMessage = new Map<string, ObjectType[]>();
  for (const [object, error] of failures) byMessage.set(error.message, [...(byMessage.get(error.message) ?? []), object]);
  const parts = [...byMessage].map(([message, objects]) => `${objects.join(', ')}: ${message}`);
  const quota = [...failures.values()].some((error) => error instanceof ProviderError && error.code === 'quota_exhausted');
  return `${parts.join(' · ')}${quota ? ' — the next sync resumes where this one stopped.' : ''}`;
}
