import { useState } from 'react';
import type { IntegrationDto } from '../../api/types';
import './IntegrationSetupWizard.css';
import { usePulseCrm, useSyncState, withPulseCrm } from './PulseCrmProvider';
import { useIntegrations } from './hooks/use-integrations';
import { usePlatforms } from './hooks/use-platforms';
import { DisconnectConfirm } from './settings/DisconnectConfirm';
import { ConnectionProblemNotice } from './status/ConnectionProblemNotice';
import { ReconnectNotice } from './status/ReconnectNotice';
import { PlatformMark } from './ui/PlatformMark';
import { RelativeTime } from './ui/RelativeTime';
import { displayStatus } from './ui/status';
import { StatusPill } from './ui/StatusPill';
import { Empty, ErrorNotice, Loading } from './ui/states';

/** The connected CRMs, for a host's Settings page: status, account, and Disconnect. */
export const IntegrationList = withPulseCrm(function IntegrationList(props: { onConnect?: () => void }) {
  return <div className="pcrm"><IntegrationListBody {...props} /></div>;
});

function IntegrationListBody({ onConnect }: { onConnect?: () => void }) {
  const integrations = useIntegrations();
  if (integrations.state === 'error' && !integrations.data) return <ErrorNotice message={integrations.error} onRetry={integrations.reload} />;
  if (!integrations.data) return <Loading label="Loading integrations" lines={2} />;
  if (integrations.data.length === 0) {
    return (
      <Empty title="No CRM connected yet">
        <p>Connect your CRM to bring its contacts, companies and deals into Pulse.</p>
        {onConnect && <button type="button" className="pcrm-button pcrm-button--primary" onClick={onConnect}>Connect CRM</button>}
      </Empty>
    );
  }
  return (
    <ul className="pcrm-integrations" aria-label="Connected CRMs">
      {integrations.data.map((integration) => <IntegrationRow key={integration.id} integration={integration} />)}
    </ul>
  );
}

function IntegrationRow({ integration }: { integration: IntegrationDto }) {
  const { api, store } = usePulseCrm();
  const platform = usePlatforms()[integration.platform];
  const live = useSyncState((state) => state.live[integration.id]);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const name = integration.displayName ?? platform?.name ?? integration.platform;
  const status = displayStatus(integration, live);

  const disconnect = async () => {
    try {
      await api.deleteIntegration(integration.id);
      store.touch();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <li className="pcrm-card pcrm-integration">
      <PlatformMark platform={integration.platform} name={platform?.name ?? integration.platform} color={platform?.color ?? '#64748b'} size={36} />
      <div className="pcrm-integration__main">
        <p className="pcrm-integration__name">{name} <StatusPill status={status} /></p>
        <p className="pcrm-muted">
          {platform?.name} account {integration.externalAccountId} · connected <RelativeTime iso={integration.createdAt} />
        </p>
        {error && <p className="pcrm-alert pcrm-alert--error" role="alert">{error}</p>}
      </div>
      <div className="pcrm-integration__actions">
        {!confirming && <button type="button" className="pcrm-button pcrm-button--small" onClick={() => setConfirming(true)} aria-label={`Disconnect ${name}`}>Disconnect</button>}
      </div>
      {confirming && <DisconnectConfirm integration={integration} name={name} platformName={platform?.name ?? 'the CRM'} onConfirm={disconnect} onCancel={() => setConfirming(false)} />}
      {!confirming && status === 'needs_reauth' && (
        <div className="pcrm-integration__notice">
          <ReconnectNotice integration={integration} platformName={platform?.name ?? 'The CRM'} detail={live?.needsReauth ?? integration.lastError} />
        </div>
      )}
      {!confirming && status !== 'needs_reauth' && integration.connectionProblem && (
        <div className="pcrm-integration__notice">
          <ConnectionProblemNotice integration={{ ...integration, connectionProblem: integration.connectionProblem }} />
        </div>
      )}
    </li>
  );
}
