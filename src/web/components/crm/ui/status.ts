import type { IntegrationDto } from '../../../api/types';
import type { LiveIntegration } from '../state/sync-store';

/** What a person sees about an integration: one word and one colour, from one table. */
export type DisplayStatus = 'idle' | 'waiting' | 'syncing' | 'rate_limited' | 'retrying' | 'error' | 'needs_reauth' | 'attention' | 'paused' | 'disabled';

export const statusStyles: Record<DisplayStatus, { label: string; tone: 'ok' | 'busy' | 'bad' | 'warn' | 'muted' }> = {
  idle: { label: 'Up to date', tone: 'ok' },
  waiting: { label: 'First sync queued', tone: 'busy' },
  syncing: { label: 'Syncing', tone: 'busy' },
  rate_limited: { label: 'Syncing slowly', tone: 'busy' },
  retrying: { label: 'Retrying soon', tone: 'warn' },
  error: { label: 'Error', tone: 'bad' },
  needs_reauth: { label: 'Needs reconnect', tone: 'warn' },
  attention: { label: 'Needs attention', tone: 'warn' },
  paused: { label: 'Sync paused', tone: 'muted' },
  disabled: { label: 'Disabled', tone: 'muted' },
};

/** The live stream wins over the last fetched row: it is newer. */
export function displayStatus(integration: IntegrationDto, live: LiveIntegration | undefined): DisplayStatus {
  if (live?.needsReauth || integration.status === 'needs_reauth') return 'needs_reauth';
  if (rateLimitWait(integration, live)) return 'rate_limited';
  if (live?.running) return 'syncing';
  if (integration.status === 'disabled' || !integration.isActive) return 'disabled';
  // The CRM was out of reach and a retry is booked: not an error anyone must act on (unless a run since then succeeded).
  if (retryPending(integration, live)) return 'retrying';
  if (live?.finished?.status === 'failed' || integration.status === 'error') return 'error';
  // A failed connection test outranks "Up to date": sync goes on, but not everything will arrive.
  if (integration.connectionProblem) return 'attention';
  if (!integration.syncEnabled) return 'paused';
  // Connected, first sync not begun yet: "Up to date" beside "Last synced never" would be a contradiction.
  if (!integration.lastSyncAt && !live?.finished) return 'waiting';
  return 'idle';
}

/**
 * A retry after an outage is booked, the scheduler will start it (connected, sync on), and nothing
 * newer supersedes it (a run now, or one that succeeded since the row was read).
 */
export function retryPending(integration: IntegrationDto, live: LiveIntegration | undefined): integration is IntegrationDto & { retryAt: string } {
  return Boolean(integration.retryAt) && integration.status === 'connected' && integration.syncEnabled && !live?.running && live?.finished?.status !== 'success';
}

/**
 * The run going now is mostly waiting for the CRM account's rate limit (the API says since when). A
 * run the live stream has seen finish since then is over, even before the list is read again.
 */
export function rateLimitWait(integration: IntegrationDto, live: LiveIntegration | undefined): integration is IntegrationDto & { rateLimitedSince: string } {
  if (!integration.rateLimitedSince || integration.status !== 'connected') return false;
  const finishedSince = !live?.running && live?.finished && live.finished.at >= Date.parse(integration.rateLimitedSince);
  return !finishedSince;
}

/** The same idea for one sync run in the history. */
export const syncLogStyles: Record<'success' | 'partial' | 'failed' | 'running', { label: string; tone: 'ok' | 'warn' | 'bad' | 'busy'; colour: string }> = {
  success: { label: 'Succeeded', tone: 'ok', colour: '#059669' },
  partial: { label: 'Partly synced', tone: 'warn', colour: '#ca8a04' },
  failed: { label: 'Failed', tone: 'bad', colour: '#dc2626' },
  running: { label: 'Running', tone: 'busy', colour: '#2563eb' },
};
