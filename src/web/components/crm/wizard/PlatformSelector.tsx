import type { PlatformDto } from '../../../api/types';
import { usePulseCrm } from '../PulseCrmProvider';
import { useResource } from '../hooks/use-resource';
import { ErrorNotice, Loading } from '../ui/states';
import { PlatformCard } from './PlatformCard';

/** Step 1: a card per CRM from GET /api/platforms; choosing an available one moves on. */
export function PlatformSelector({ onSelect }: { onSelect: (platform: PlatformDto) => void }) {
  const { api } = usePulseCrm();
  const platforms = useResource(() => api.platforms(), [api]);

  return (
    <section aria-labelledby="pcrm-step-title">
      <h2 id="pcrm-step-title" className="pcrm-step-title" tabIndex={-1}>Which CRM do you use?</h2>
      <p className="pcrm-muted">Pulse copies its contacts, companies and deals and keeps them up to date.</p>
      {platforms.state === 'error' && <ErrorNotice title="The list of CRMs did not load" message={platforms.error} onRetry={platforms.reload} />}
      {platforms.data ? (
        <div className="pcrm-platform-grid">
          {platforms.data.map((platform) => <PlatformCard key={platform.id} platform={platform} onChoose={onSelect} />)}
        </div>
      ) : platforms.state === 'loading' && <Loading label="Loading CRMs" lines={4} />}
    </section>
  );
}
