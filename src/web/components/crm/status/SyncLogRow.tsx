import type { SyncLogDto } from '../../../api/types';
import { RelativeTime } from '../ui/RelativeTime';
import { syncLogStyles } from '../ui/status';

/** What started the run, as the history names it. */
const syncTypeLabels: Record<SyncLogDto['syncType'], string> = { full: 'Full', incremental: 'Incremental', webhook: 'Pushed changes' };

const duration = (ms: number | null) => (ms === null ? '—' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

/** One run in the history: when, how it ended, counts per object, how long, and its errors on demand. */
export function SyncLogRow({ log }: { log: SyncLogDto }) {
  const style = syncLogStyles[log.status];
  const errors = log.errors.length + (log.errorMessage && log.errors.length === 0 ? 1 : 0);
  return (
    <li className="pcrm-log">
      <div className="pcrm-log__head">
        <span className={`pcrm-pill pcrm-pill--${style.tone}`}>{style.label}</span>
        <span className="pcrm-log__when"><RelativeTime iso={log.startedAt} /> · {syncTypeLabels[log.syncType]}</span>
        <span className="pcrm-log__duration">{duration(log.durationMs)}</span>
      </div>
      <p className="pcrm-log__counts">
        <span><strong>{log.contactsSynced.toLocaleString()}</strong> contacts</span>
        <span><strong>{log.companiesSynced.toLocaleString()}</strong> companies</span>
        <span><strong>{log.dealsSynced.toLocaleString()}</strong> deals</span>
      </p>
      {errors > 0 && (
        <details className="pcrm-log__errors">
          <summary>{errors} error{errors > 1 ? 's' : ''}</summary>
          <ul>
            {log.errorMessage && <li>{log.errorMessage}</li>}
            {log.errors.map((error, index) => (
              <li key={index}>{error.object && <strong>{error.object}: </strong>}{error.message} <code>{error.code}</code></li>
            ))}
          </ul>
        </details>
      )}
    </li>
  );
}
