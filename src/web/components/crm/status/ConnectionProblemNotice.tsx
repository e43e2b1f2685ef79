import { useState } from 'react';
import type { IntegrationDto } from '../../../api/types';
import { usePulseCrm } from '../PulseCrmProvider';
import { useReconnect } from '../hooks/use-reconnect';
import { RelativeTime } from '../ui/RelativeTime';

/**
 * The last connection test failed: what is wrong, and the fix that fits — Reconnect when the person
 * can fix it (a permission left out), "Test again" when the CRM is down and only time helps. Syncing
 * goes on meanwhile (see README, "Connection test"): whatever the grant can read keeps arriving.
 */
export function ConnectionProblemNotice({ integration }: { integration: IntegrationDto & { connectionProblem: NonNullable<IntegrationDto['connectionProblem']> } }) {
  const { api, store } = usePulseCrm();
  const { reconnect, waiting, error } = useReconnect(integration);
  const [testing, setTesting] = useState(false);
  const problem = integration.connectionProblem;
  const retest = async () => {
    setTesting(true);
    await api.testConnection(integration.id).catch(() => undefined);
    store.touch();
    setTesting(false);
  };
  return (
    <div className="pcrm-alert pcrm-alert--warning pcrm-attention" role="alert">
      <div className="pcrm-attention__text">
        <p><strong>Needs attention.</strong> {problem.message}</p>
        {error && <p>Not reconnected: {error}</p>}
        <p className="pcrm-muted">Connection tested <RelativeTime iso={problem.checkedAt} />.</p>
      </div>
      <div className="pcrm-attention__actions">
        {problem.kind === 'reconnect' && (
          <button type="button" className="pcrm-button pcrm-button--primary pcrm-button--small" onClick={reconnect} disabled={waiting || testing}>
            {waiting ? 'Waiting for sign-in…' : 'Reconnect'}
          </button>
        )}
        <button type="button" className={`pcrm-button pcrm-button--small${problem.kind === 'retry' ? ' pcrm-button--primary' : ''}`} onClick={retest} disabled={waiting || testing}>
          {testing ? 'Testing…' : 'Test again'}
        </button>
      </div>
    </div>
  );
}
