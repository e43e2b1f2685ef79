import { useState } from 'react';
import type { PlatformDto } from '../../../api/types';
import { usePulseCrm } from '../PulseCrmProvider';
import { useResource } from '../hooks/use-resource';
import { ErrorNotice, Loading } from '../ui/states';
import { PlatformCard } from './PlatformCard';

/** From this many cards on, a search box saves scanning them all. */
const SEARCH_FROM = 4;

/** Step 1: a card per CRM from GET /api/platforms, available ones first; choosing one moves on. */
export function PlatformSelector({ onSelect }: { onSelect: (platform: PlatformDto) => void }) {
  const { api } = usePulseCrm();
  const platforms = useResource(() => api.platforms(), [api]);
  const [search, setSearch] = useState('');
  const all = platforms.data ? [...platforms.data].sort((a, b) => Number(b.available) - Number(a.available)) : undefined;
  const shown = all?.filter((platform) => platform.name.toLowerCase().includes(search.trim().toLowerCase()));

  return (
    <section aria-labelledby="pcrm-step-title">
      <h2 id="pcrm-step-title" className="pcrm-step-title" tabIndex={-1}>Which CRM do you use?</h2>
      <p className="pcrm-muted">Pulse copies its contacts, companies and deals and keeps them up to date.</p>
      {platforms.state === 'error' && <ErrorNotice title="The list of CRMs did not load" message={platforms.error} onRetry={platforms.reload} />}
      {all && all.length >= SEARCH_FROM && (
        <div className="pcrm-search">
          <label htmlFor="pcrm-platform-search" className="pcrm-visually-hidden">Search CRMs</label>
          <input id="pcrm-platform-search" type="search" placeholder="Search CRMs" value={search} onChange={(event) => setSearch(event.target.value)} />
        </div>
      )}
      {shown ? (
        shown.length === 0 ? <p className="pcrm-empty" role="status">No CRM matches “{search.trim()}”.</p> : (
          <div className="pcrm-platform-grid">
            {shown.map((platform) => <PlatformCard key={platform.id} platform={platform} onChoose={onSelect} />)}
          </div>
        )
      ) : platforms.state === 'loading' && <Loading label="Loading CRMs" lines={4} />}
    </section>
  );
}
