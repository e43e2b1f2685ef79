import { useEffect, useState } from 'react';
import type { ConnectionCheck } from '../../../api/types';
import { usePulseCrm } from '../PulseCrmProvider';
import { CheckRow } from './CheckRow';

type Problem = { kind: 'reconnect' | 'retry'; message: string };
type Run = { state: 'running' } | { state: 'done'; problem: Problem | null; checks: ConnectionCheck[] } | { state: 'error'; message: string };

const pending = ['API reachable', 'Permissions to read contacts, companies and deals', 'API quota'];

interface Props {
  integrationId: string;
  platformName: string;
  onContinue: () => void;
  onReconnect: () => void;
}

/**
 * Step 3: asks the provider whether sync will work, and says what to do when it will not. A failure
 * is either the person's to fix (Reconnect is the primary action) or the CRM's (Retry is). Closing
 * the wizard here does not hide it: the server keeps the verdict and the integration reads "Needs
 * attention" in Settings and on the dashboard until a test passes.
 */
export function ConnectionTest({ integrationId, platformName, onContinue, onReconnect }: Props) {
  const { api, store } = usePulseCrm();
  const [attempt, setAttempt] = useState(0);
  const [run, setRun] = useState<Run>({ state: 'running' });

  useEffect(() => {
    let current = true;
    setRun({ state: 'running' });
    api.testConnection(integrationId).then(
      (result) => current && setRun({ state: 'done', problem: result.problem, checks: result.checks }),
      (error: Error) => current && setRun({ state: 'error', message: error.message }),
    ).finally(() => store.touch());
    return () => {
      current = false;
    };
  }, [api, store, integrationId, attempt]);

  const problem: Problem | null = run.state === 'error' ? { kind: 'retry', message: `The test could not run: ${run.message} Retry in a moment.` }
    : run.state === 'done' ? run.problem : null;
  return (
    <section aria-labelledby="pcrm-step-title" className="pcrm-stack">
      <h2 id="pcrm-step-title" className="pcrm-step-title" tabIndex={-1}>Testing the connection to {platformName}</h2>
      <ul className="pcrm-checks" aria-live="polite" aria-busy={run.state === 'running'}>
        {run.state === 'running' && pending.map((label) => <CheckRow key={label} check={{ label, status: 'running' }} />)}
        {run.state === 'done' && run.checks.map((check) => <CheckRow key={check.id} check={check} />)}
        {run.state === 'error' && <CheckRow check={{ label: 'Connection test', status: 'fail', message: run.message }} />}
      </ul>
      {run.state !== 'running' && (
        <div className={`pcrm-alert ${problem ? 'pcrm-alert--error' : 'pcrm-alert--ok'}`} role="status">
          {!problem ? <p>All set: Pulse can sync {platformName}.</p> : (
            <p>
              <strong>{problem.kind === 'reconnect' ? 'Needs your action.' : 'Try again later.'}</strong> {problem.message}{' '}
              {problem.kind === 'reconnect'
                ? 'Until then, Pulse syncs what it may read and shows this integration as "Needs attention".'
                : 'Pulse keeps trying on its own; the integration shows "Needs attention" until a test passes.'}
            </p>
          )}
        </div>
      )}
      <div className="pcrm-actions">
        {problem?.kind === 'reconnect' && <button type="button" className="pcrm-button pcrm-button--primary" onClick={onReconnect}>Reconnect</button>}
        <button type="button" className={`pcrm-button${problem?.kind === 'retry' ? ' pcrm-button--primary' : ''}`} onClick={() => setAttempt((n) => n + 1)} disabled={run.state === 'running'}>
          {run.state === 'running' ? 'Testing…' : 'Retry test'}
        </button>
        {!problem && (
          <button type="button" className="pcrm-button pcrm-button--primary" onClick={onContinue} disabled={run.state !== 'done'}>
            Continue
          </button>
        )}
      </div>
    </section>
  );
}
