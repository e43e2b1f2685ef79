import { useState } from 'react';
import type { IntegrationDto, PlatformDto } from '../../../api/types';
import { useSyncState } from '../PulseCrmProvider';
import { FieldsSettingsButton } from '../fields/FieldsSettings';
import { PlatformMark } from '../ui/PlatformMark';
import { RelativeTime } from '../ui/RelativeTime';
import { displayStatus, rateLimitWait, retryPending } from '../ui/status';
import { StatusPill } from '../ui/StatusPill';
import { SyncProgress } from '../ui/SyncProgress';
import { ConnectionProblemNotice } from './ConnectionProblemNotice';
import { OutageRetryNotice } from './OutageRetryNotice';
import { RateLimitNotice } from './RateLimitNotice';
import { RealtimeSetupStep } from './RealtimeSetupStep';
import { RealtimeStatus } from './RealtimeStatus';
import { ReconnectNotice } from './ReconnectNotice';
import { SyncActions } from './SyncActions';
import { SyncHistory } from './SyncHistory';

const latest = (a: string | null, b: number | undefined) => {
  const fromLive = b ? new Date(b).toISOString() : null;
  if (!a) return fromLive;
  return fromLive && fromLive > a ? fromLive : a;
};

/** One integration's live state: status, last sync, progress, problems, actions and history. */
export function IntegrationStatusCard({ integration, platform }: { integration: IntegrationDto; platform?: PlatformDto }) {
  const live = useSyncState((state) => state.live[integration.id]);
  const [showHistory, setShowHistory] = useState(false);
  const status = displayStatus(integration, live);
  const name = integration.displayName ?? platform?.name ?? integration.platform;
  const headingId = `pcrm-int-${integration.id}`;

  return (
    <article className="pcrm-status-card" aria-labelledby={headingId}>
      <header className="pcrm-status-card__head">
        <PlatformMark platform={integration.platform} name={platform?.name ?? integration.platform} color={platform?.color ?? '#64748b'} size={36} />
        <div className="pcrm-status-card__title">
          <div className="pcrm-status-card__name">
            <h3 id={headingId}>{name}</h3>
            <StatusPill status={status} />
          </div>
          <p className="pcrm-muted">Last synced <RelativeTime iso={latest(integration.lastSyncAt, live?.finished?.at)} /></p>
          {integration.realtime.state !== 'degraded' && <RealtimeStatus integration={integration} crmName={platform?.name ?? 'the CRM'} />}
        </div>
      </header>
      {integration.realtime.state === 'degraded' && <RealtimeStatus integration={integration} crmName={platform?.name ?? 'the CRM'} />}
      {platform?.realtimeSetup === 'manual' && status !== 'needs_reauth' && status !== 'disabled' && <RealtimeSetupStep integration={integration} crmName={platform.name} />}

      {live?.running && <SyncProgress running={live.running} />}
      {status === 'rate_limited' && rateLimitWait(integration, live) && <RateLimitNotice since={integration.rateLimitedSince} crmName={platform?.name ?? 'the CRM'} />}
      {status === 'needs_reauth' && <ReconnectNotice integration={integration} platformName={platform?.name ?? 'The CRM'} detail={live?.needsReauth ?? integration.lastError} />}
      {status !== 'needs_reauth' && integration.connectionProblem && <ConnectionProblemNotice integration={{ ...integration, connectionProblem: integration.connectionProblem }} />}
      {status === 'retrying' && retryPending(integration, live) && <OutageRetryNotice retryAt={integration.retryAt} detail={integration.lastError} />}
      {status === 'error' && (
        <p className="pcrm-alert pcrm-alert--error" role="alert">
          <span><strong>Last sync failed.</strong> {integration.lastError ?? 'See the history below for the reason.'}</span>
        </p>
      )}

      <div className="pcrm-status-card__actions">
        <SyncActions integration={integration} running={Boolean(live?.running)} blocked={status === 'needs_reauth' || status === 'disabled'} />
        <button type="button" className="pcrm-button pcrm-button--small" aria-expanded={showHistory} onClick={() => setShowHistory((v) => !v)}>
          {showHistory ? 'Hide history' : 'History'}
        </button>
        <FieldsSettingsButton integration={integration} crmName={platform?.name ?? integration.platform} />
      </div>
      {showHistory && <SyncHistory integrationId={integration.id} changeKey={`${live?.running?.logId ?? ''}:${live?.finished?.logId ?? ''}`} />}
    </article>
  );
}
