import { useState } from 'react';
import type { IntegrationDto } from '../../../api/types';
import { usePulseCrm } from '../PulseCrmProvider';
import { connectWithPopup } from './oauth-popup';

/**
 * Sign in to the CRM again for an existing integration, then re-run the connection test: a problem
 * it had recorded ("Needs attention") clears only once a test passes, so the person sees at once
 * whether the reconnect fixed it.
 */
export function useReconnect(integration: IntegrationDto) {
  const { api, store } = usePulseCrm();
  const [waiting, setWaiting] = useState(false);
  const [error, setError] = useState<string>();

  const reconnect = async () => {
    setWaiting(true);
    setError(undefined);
    try {
      const outcome = await connectWithPopup(api, { platform: integration.platform, integrationId: integration.id });
      if (outcome.ok === 'redirecting') return;
      if (outcome.ok) {
        store.apply({ type: 'integration.connected', integrationId: integration.id });
        await api.testConnection(integration.id).catch(() => undefined);
        store.touch();
      } else setError(outcome.message);
    } catch (failure) {
      setError((failure as Error).message);
    }
    setWaiting(false);
  };
  return { reconnect, waiting, error };
}
