import { useState } from 'react';
import type { IntegrationDto, RealtimeSetupDto } from '../../../api/types';
import { usePulseCrm } from '../PulseCrmProvider';
import { CopyField } from '../ui/CopyField';

/**
 * For CRMs no app can subscribe to changes (the platform's `realtimeSetup` is `manual`): what to set
 * up in the CRM, for which objects, and the address to paste. The address holds the connection's
 * secret, so it is asked for only when the person opens the step, from the authenticated API, and
 * lives in this component's state alone.
 */
export function RealtimeSetupStep({ integration, crmName }: { integration: IntegrationDto; crmName: string }) {
  const { api } = usePulseCrm();
  const [open, setOpen] = useState(false);
  const [setup, setSetup] = useState<RealtimeSetupDto | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const regionId = `pcrm-realtime-setup-${integration.id}`;

  const toggle = async () => {
    const next = !open;
    setOpen(next);
    if (!next) return setSetup(null);
    setProblem(null);
    try {
      setSetup(await api.realtimeSetup(integration.id));
    } catch (error) {
      setProblem((error as Error).message);
    }
  };

  return (
    <div className="pcrm-realtime-setup">
      <button type="button" className="pcrm-button pcrm-button--small" aria-expanded={open} aria-controls={regionId} onClick={toggle}>
        {integration.realtime.state === 'on' ? 'Real-time set-up' : `Set up real-time updates in ${crmName}`}
      </button>
      {open && (
        <section id={regionId} className="pcrm-realtime-setup__body" aria-label={`Real-time updates set-up in ${crmName}`}>
          {problem && <p className="pcrm-alert pcrm-alert--error" role="alert">{problem}</p>}
          {!problem && !setup && <p className="pcrm-muted">Loading…</p>}
          {setup && (
            <>
              <p>
                {crmName} lets no app subscribe to its changes, so they reach Pulse within seconds once you add
                an {setup.name} in {crmName} for {listOf(setup.objects)} (without one, they come with the scheduled sync).
              </p>
              <ol className="pcrm-realtime-setup__steps">
                {setup.steps.map((step) => <li key={step}>{step}</li>)}
              </ol>
              {setup.url
                ? <CopyField id={`${regionId}-url`} label="Endpoint URL" value={setup.url} />
                : <p className="pcrm-alert pcrm-alert--warning" role="status">No address yet: {setup.reason ?? 'Pulse could not make one.'}</p>}
              <p className="pcrm-muted">Keep this address private, like a password: anyone with it can announce changes (Pulse still reads each record from {crmName} itself). Deletions keep arriving with the scheduled sync.</p>
            </>
          )}
        </section>
      )}
    </div>
  );
}

const listOf = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);
