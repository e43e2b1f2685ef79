import { useState } from 'react';
import type { IntegrationDto } from '../../../api/types';
import { usePulseCrm } from '../PulseCrmProvider';
import { connectWithPopup } from '../hooks/oauth-popup';

/** The CRM stopped accepting our token: say so and offer the one fix, signing in again. */
export function ReconnectNotice({ integration, message }: { integration: IntegrationDto; message: string }) {
  const { api, store } = usePulseCrm();
  const [waiting, setWaiting] = useState(false);
  const [error, setError] = useState<string>();

  const reconnect = async () => {
    setWaiting(true);
    setError(undefined);
    try {
      const outcome = await connectWithPopup(api, { platform: integration.platform, integrationId: integration.id });
      if (outcome.ok === 'redirecting') return;
      if (outcome.ok) store.apply({ type: 'integration.connected', integrationId: integration.id });
      else setError(outcome.message);
    } catch (failure) {
      setError((failure as Error).message);
    }
    setWaiting(false);
  };
  return (
    <div className="pcrm-alert pcrm-alert--warning" role="alert">
      <p><strong>Reconnect needed.</strong> {error ?? message}</p>
      <button type="button" className="pcrm-button pcrm-button--small" onClick={reconnect} disabled={waiting}>
        {waiting ? 'Waiting for sign-in…' : 'Reconnect'}
      </button>
    </div>
  );
}
