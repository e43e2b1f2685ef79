import { useEffect, useState } from 'react';
import type { ConnectionCheck } from '../../../api/types';
import { usePulseCrm } from '../PulseCrmProvider';
import { CheckRow } from './CheckRow';

type Run = { state: 'running' } | { state: 'done'; ok: boolean; checks: ConnectionCheck[] } | { state: 'error'; message: string };

const pending = ['API reachable', 'Permissions to read contacts, companies and deals', 'API quota'];

interface Props {
  integrationId: string;
  platformName: string;
  onContinue: () => void;
  onReconnect: () => void;
}

/** Step 3: asks the provider whether sync will work, and says what to do when it will not. */
export function ConnectionTest({ integrationId, platformName, onContinue, onReconnect }: Props) {
  const { api } = usePulseCrm();
  const [attempt, setAttempt] = useState(0);
  const [run, setRun] = useState<Run>({ state: 'running' });

  useEffect(() => {
    let current = true;
    setRun({ state: 'running' });
    api.testConnection(integrationId).then(
      (result) => current && setRun({ state: 'done', ...result }),
      (error: Error) => current && setRun({ state: 'error', message: error.message }),
    );
    return () => {
      current = false;
    };
  }, [api, integrationId, attempt]);

  const failed = run.state === 'error' || (run.state === 'done' && !run.ok);
  return (
    <section aria-labelledby="pcrm-step-title" className="pcrm-stack">
      <h2 id="pcrm-step-title" className="pcrm-step-title" tabIndex={-1}>Testing the connection to {platformName}</h2>
      <ul className="pcrm-checks" aria-live="polite" aria-busy={run.state === 'running'}>
        {run.state === 'running' && pending.map((label) => <CheckRow key={label} check={{ label, status: 'running' }} />)}
        {run.state === 'done' && run.checks.map((check) => <CheckRow key={check.id} check={check} />)}
        {run.state === 'error' && <CheckRow check={{ label: 'Connection test', status: 'fail', message: run.message }} />}
      </ul>
      {run.state === 'done' && (
        <p className={`pcrm-alert ${run.ok ? 'pcrm-alert--ok' : 'pcrm-alert--error'}`} role="status">
          {run.ok ? `All set: Pulse can sync ${platformName}.` : 'Sync would not work yet. Fix what failed above, then retry the test.'}
        </p>
      )}
      <div className="pcrm-actions">
        {failed && <button type="button" className="pcrm-button" onClick={onReconnect}>Reconnect</button>}
        <button type="button" className="pcrm-button" onClick={() => setAttempt((n) => n + 1)} disabled={run.state === 'running'}>
          {run.state === 'running' ? 'Testing…' : 'Retry test'}
        </button>
        <button type="button" className="pcrm-button pcrm-button--primary" onClick={onContinue} disabled={run.state !== 'done' || !run.ok}>
          Continue
        </button>
      </div>
    </section>
  );
}
