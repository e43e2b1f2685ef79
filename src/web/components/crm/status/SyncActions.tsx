import { useEffect, useState } from 'react';
import type { IntegrationDto } from '../../../api/types';
import { usePulseCrm } from '../PulseCrmProvider';

/** "Sync now" (disabled while a sync runs) and the automatic-sync switch. */
export function SyncActions({ integration, running, blocked }: { integration: IntegrationDto; running: boolean; blocked: boolean }) {
  const { api, store } = usePulseCrm();
  const [requesting, setRequesting] = useState(false);
  const [error, setError] = useState<string>();
  // Shown at once; the fetched row confirms it (or the error puts it back).
  const [syncEnabled, setSyncEnabled] = useState(integration.syncEnabled);
  useEffect(() => setSyncEnabled(integration.syncEnabled), [integration.syncEnabled]);
  const name = integration.displayName ?? integration.platform;

  const act = async (work: () => Promise<unknown>) => {
    setError(undefined);
    setRequesting(true);
    try {
      await work();
      store.touch();
    } catch (failure) {
      setError((failure as Error).message);
    }
    setRequesting(false);
  };
  return (
    <div className="pcrm-sync-actions">
      <button
        type="button"
        className="pcrm-button pcrm-button--primary pcrm-button--small"
        disabled={running || requesting || blocked}
        onClick={() => act(() => api.startSync(integration.id))}
      >
        {/* The accessible name starts with the visible words (WCAG 2.5.3); the CRM's name tells cards apart. */}
        {running ? 'Syncing…' : 'Sync now'}<span className="pcrm-visually-hidden"> {name}</span>
      </button>
      <label className="pcrm-switch">
        <input
          type="checkbox"
          role="switch"
          checked={syncEnabled}
          disabled={requesting}
          onChange={(event) => {
            const wanted = event.target.checked;
            setSyncEnabled(wanted);
            void act(() => api.updateIntegration(integration.id, { syncEnabled: wanted }).catch((failure) => {
              setSyncEnabled(!wanted);
              throw failure;
            }));
          }}
        />
        <span>Automatic sync</span>
      </label>
      {error && <p className="pcrm-alert pcrm-alert--error pcrm-sync-actions__error" role="alert">{error}</p>}
    </div>
  );
}
