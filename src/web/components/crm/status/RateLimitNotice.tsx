/**
 * The sync is held back by the CRM's rate limit: progress crawls, and without a word it would look
 * stuck. Say why and that nothing needs doing, so nobody cancels or restarts it.
 */
export function RateLimitNotice({ since, crmName }: { since: string; crmName: string }) {
  const at = new Date(since);
  return (
    <div className="pcrm-alert pcrm-alert--info pcrm-attention" role="status">
      <div className="pcrm-attention__text">
        <p>
          <strong>Waiting for {crmName}'s rate limit</strong> since <time dateTime={since} title={at.toLocaleString()}>{at.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' })}</time>.
          {' '}The sync continues by itself, as fast as {crmName} allows: nothing to do.
        </p>
      </div>
    </div>
  );
}
