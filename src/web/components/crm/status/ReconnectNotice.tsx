import type { IntegrationDto } from '../../../api/types';
import { useReconnect } from '../hooks/use-reconnect';

/**
 * The CRM stopped accepting our access: say so in plain words and offer the one fix, signing in
 * again, as the primary action. The CRM's own wording (often technical) stays behind "Details".
 * It is the only place this is said: the live stream's notices leave re-auth to it.
 */
export function ReconnectNotice({ integration, platformName, detail }: { integration: IntegrationDto; platformName: string; detail?: string | null }) {
  const { reconnect, waiting, error } = useReconnect(integration);
  return (
    <div className="pcrm-alert pcrm-alert--warning pcrm-attention" role="alert">
      <div className="pcrm-attention__text">
        <p>
          <strong>Reconnect {platformName}.</strong> {platformName} no longer accepts Pulse's access (it was revoked or
          expired), so syncing is paused. Sign in again to resume; the data already synced stays.
        </p>
        {error && <p>Not reconnected: {error}</p>}
        {detail && (
          <details className="pcrm-attention__detail">
            <summary>Details</summary>
            <p>{detail}</p>
          </details>
        )}
      </div>
      <button type="button" className="pcrm-button pcrm-button--primary pcrm-button--small" onClick={reconnect} disabled={waiting}>
        {waiting ? 'Waiting for sign-in…' : 'Reconnect'}
      </button>
    </div>
  );
}
