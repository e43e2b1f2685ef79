/**
 * The last sync could not reach the CRM and Pulse tries again by itself: say when, in the reader's
 * own time, so nobody presses Sync now (or worries) for an outage that time will fix.
 */
export function OutageRetryNotice({ retryAt, detail }: { retryAt: string; detail: string | null }) {
  const at = new Date(retryAt);
  return (
    <div className="pcrm-alert pcrm-alert--warning pcrm-attention" role="status">
      <div className="pcrm-attention__text">
        <p><strong>CRM unreachable, retrying at <time dateTime={retryAt} title={at.toLocaleString()}>{retryTime(at)}</time>.</strong> Nothing to do: the sync carries on where it stopped.</p>
        {detail && (
          <details className="pcrm-attention__detail">
            <summary>What failed</summary>
            <p>{detail}</p>
          </details>
        )}
      </div>
    </div>
  );
}

/** 14:05 (or 2:05 PM, as the reader's locale writes it); the date too when it is not today. */
export function retryTime(at: Date, now = new Date()): string {
  const time = at.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
  return at.toDateString() === now.toDateString() ? time : `${at.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${time}`;
}
