import type { ConnectionCheck } from '../../../api/types';
import { Meter } from '../ui/Meter';

const icons = { pass: '✓', warn: '!', fail: '✕', skipped: '–', running: '' } as const;
const words = { pass: 'Passed', warn: 'Warning', fail: 'Failed', skipped: 'Not checked', running: 'Checking' } as const;

type Row = Omit<ConnectionCheck, 'id' | 'status' | 'message'> & { status: ConnectionCheck['status'] | 'running'; message?: string };

/** One check of the connection test, with a usage bar for quotas. */
export function CheckRow({ check }: { check: Row }) {
  const { status, usage } = check;
  return (
    <li className={`pcrm-check pcrm-check--${status}`}>
      <span className="pcrm-check__icon" aria-hidden="true">{status === 'running' ? <span className="pcrm-spinner" /> : icons[status]}</span>
      <div className="pcrm-check__body">
        <p className="pcrm-check__label">
          {check.label}{' '}
          {status === 'skipped' ? <span className="pcrm-tag">{words[status]}</span> : <span className="pcrm-visually-hidden">— {words[status]}</span>}
        </p>
        {/* A quota's figures are in its bar; the message only adds something when it warns. */}
        {check.message && !(usage && status === 'pass') && <p className="pcrm-check__message">{check.message}</p>}
        {usage && (
          <div className="pcrm-usage">
            <Meter label={`${check.label}: ${usage.used} of ${usage.limit} used`} value={usage.used} max={usage.limit} tone={status === 'warn' ? 'warn' : 'ok'} />
            <span className="pcrm-muted">
              {usage.used.toLocaleString()} / {usage.limit.toLocaleString()} used
              {usage.resetsAt && ` · resets ${new Date(usage.resetsAt).toLocaleTimeString()}`}
            </span>
          </div>
        )}
      </div>
    </li>
  );
}
