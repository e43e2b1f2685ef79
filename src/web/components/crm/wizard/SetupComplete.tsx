import type { IntegrationDto } from '../../../api/types';
import { usePulseCrm, useSyncState } from '../PulseCrmProvider';
import { usePlatforms } from '../hooks/use-platforms';
import { useResource } from '../hooks/use-resource';
import { ErrorNotice, Loading } from '../ui/states';
import { SyncProgress, SyncResult } from '../ui/SyncProgress';

/** Step 5: what was connected, the first sync as it runs, and what to do next. */
export function SetupComplete({ integrationId, onDone }: { integrationId: string; onDone: (integration: IntegrationDto) => void }) {
  const { api } = usePulseCrm();
  const integration = useResource(() => api.integration(integrationId), [api, integrationId]);
  const live = useSyncState((state) => state.live[integrationId]);
  // Granted scopes in the words the authorize step used ("Read contacts"), not their ids.
  const platforms = usePlatforms();
  const platform = integration.data ? platforms[integration.data.platform] : undefined;
  const words: Record<string, string> = Object.fromEntries((platform?.scopes ?? []).map((scope) => [scope.name, scope.description]));

  return (
    <section aria-labelledby="pcrm-step-title" className="pcrm-stack">
      <h2 id="pcrm-step-title" className="pcrm-step-title" tabIndex={-1}>Your CRM is connected</h2>
      {integration.state === 'error' && <ErrorNotice message={integration.error} onRetry={integration.reload} />}
      {integration.data ? (
        <dl className="pcrm-summary">
          <div><dt>Account</dt><dd>{integration.data.displayName ?? 'Unnamed'} <span className="pcrm-muted">(ID {integration.data.externalAccountId})</span></dd></div>
          <div><dt>Pulse may</dt><dd><ul className="pcrm-chips">{integration.data.grantedScopes.map((scope) => <li key={scope}>{words[scope] ?? scope}</li>)}</ul></dd></div>
        </dl>
      ) : integration.state === 'loading' && <Loading label="Loading the connection" lines={2} />}

      <div>
        <h3 className="pcrm-subtitle">First sync</h3>
        {live?.running ? <SyncProgress running={live.running} />
          : live?.finished ? <SyncResult finished={live.finished} />
          : <p className="pcrm-progress pcrm-progress--waiting" role="status"><span className="pcrm-spinner" aria-hidden="true" /> Starting the first sync…</p>}
      </div>

      <div>
        <h3 className="pcrm-subtitle">Quick start</h3>
        <ol className="pcrm-numbered">
          <li>The first sync copies every contact, company and deal; it runs in the background, so you can close this window.</li>
          <li>After that, Pulse fetches only what changed, every {Number(integration.data?.settings.sync_interval_minutes ?? 15)} minutes.</li>
          <li>Watch progress, press <em>Sync now</em> or pause syncing from the <strong>CRM sync</strong> panel on your dashboard.</li>
          <li>If the CRM ever asks for permission again, the panel shows a <em>Reconnect</em> button.</li>
        </ol>
      </div>

      <div className="pcrm-actions">
        <button type="button" className="pcrm-button pcrm-button--primary" disabled={!integration.data} onClick={() => integration.data && onDone(integration.data)}>
          Done
        </button>
      </div>
    </section>
  );
}
