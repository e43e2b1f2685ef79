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
  const done = total(running.counts);
  const expected = running.expected && running.expected > 0 ? running.expected : undefined;
  // The figures are totals over every object; the object being read is said apart, so the label
  // never reads as "deals: 600 of 2,005" when 2,005 counts contacts and companies too.
  return (
    <div className="pcrm-progress" role="status">
      <p className="pcrm-progress__label">
        {running.syncType === 'full' ? 'Full sync' : running.syncType === 'webhook' ? 'Applying changes from the CRM' : 'Sync'} in progress: {done.toLocaleString()}{expected ? ` of ${expected.toLocaleString()}` : ''} {(expected ?? done) === 1 ? 'record' : 'records'}
        {running.object && <span className="pcrm-muted"> · now reading {running.object}</span>}
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
