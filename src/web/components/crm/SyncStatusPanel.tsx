import './IntegrationSetupWizard.css';
import { useSyncState, withPulseCrm } from './PulseCrmProvider';
import { useIntegrations } from './hooks/use-integrations';
import { usePlatforms } from './hooks/use-platforms';
import { IntegrationStatusCard } from './status/IntegrationStatusCard';
import { SyncNotices } from './status/SyncNotices';
import { Empty, ErrorNotice, Loading } from './ui/states';

const streamWords = { live: 'Live', connecting: 'Connecting…', offline: 'Reconnecting…' } as const;

/** Every integration's sync, live from the event stream. Needs no props; drop it on a dashboard. */
export const SyncStatusPanel = withPulseCrm(function SyncStatusPanel({
  title = 'CRM sync',
  emptyHint = 'Connect one in Settings → CRM Integrations to see its sync here.',
}: {
  title?: string;
  /** Where, in the host app, a person connects a CRM: shown while none is connected. */
  emptyHint?: string;
}) {
  const integrations = useIntegrations();
  const platforms = usePlatforms();
  const stream = useSyncState((state) => state.stream);
  const names = Object.fromEntries((integrations.data ?? []).map((i) => [i.id, i.displayName ?? platforms[i.platform]?.name ?? i.platform]));

  return (
    <section className="pcrm pcrm-panel" aria-labelledby="pcrm-panel-title">
      <header className="pcrm-panel__head">
        <h2 id="pcrm-panel-title">{title}</h2>
        <span className={`pcrm-stream pcrm-stream--${stream}`} role="status">{streamWords[stream]}</span>
      </header>
      <SyncNotices names={names} />
      {integrations.state === 'error' && <ErrorNotice title="Integrations did not load" message={integrations.error} onRetry={integrations.reload} />}
      {!integrations.data ? (integrations.state === 'loading' && <Loading label="Loading sync status" lines={2} />)
        : integrations.data.length === 0 ? (
          <Empty title="No CRM connected">{emptyHint}</Empty>
        ) : (
          <div className="pcrm-panel__list">
            {integrations.data.map((integration) => (
              <IntegrationStatusCard key={integration.id} integration={integration} platform={platforms[integration.platform]} />
            ))}
          </div>
        )}
    </section>
  );
});
