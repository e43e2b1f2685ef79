import type { SyncCounts } from '../../../api/types';
import type { LiveIntegration } from '../state/sync-store';
import { Meter } from './Meter';

const objects: (keyof SyncCounts)[] = ['contacts', 'companies', 'deals'];
const total = (counts: SyncCounts) => counts.contacts + counts.companies + counts.deals;

export function Counts({ counts }: { counts: SyncCounts }) {
  return (
    <dl className="pcrm-counts">
      {objects.map((object) => (
        <div key={object}>
          <dt>{object}</dt>
          <dd>{counts[object].toLocaleString()}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A running sync: a bar against the expected total when the CRM told one (else indeterminate), and counts so far. */
export function SyncProgress({ running }: { running: NonNullable<LiveIntegration['running']> }) {
  const object = running.object ? ` — ${running.object}` : '';
  const done = total(running.counts);
  const expected = running.expected && running.expected > 0 ? running.expected : undefined;
  return (
    <div className="pcrm-progress" role="status">
      <p className="pcrm-progress__label">
        {running.syncType === 'full' ? 'Full sync' : 'Sync'} in progress{object}: {done.toLocaleString()}{expected ? ` of ${expected.toLocaleString()}` : ''} records
      </p>
      <Meter label="Sync progress" value={expected ? done : undefined} max={expected} />
      <Counts counts={running.counts} />
    </div>
  );
}

export function SyncResult({ finished }: { finished: NonNullable<LiveIntegration['finished']> }) {
  const seconds = (finished.durationMs / 1000).toFixed(1);
  const word = { success: 'Sync finished', partial: 'Sync finished with some errors', failed: 'Sync failed' }[finished.status];
  return (
    <div className={`pcrm-progress pcrm-progress--${finished.status}`} role="status">
      <p className="pcrm-progress__label">{word}: {total(finished.counts).toLocaleString()} records in {seconds} s</p>
      <Counts counts={finished.counts} />
    </div>
  );
}
