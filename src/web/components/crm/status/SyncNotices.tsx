import { usePulseCrm, useSyncState } from '../PulseCrmProvider';

/** Error notifications from the live stream, newest last, each dismissable. */
export function SyncNotices({ names }: { names: Record<string, string> }) {
  const { store } = usePulseCrm();
  const notices = useSyncState((state) => state.notices);
  return (
    <div className="pcrm-notices" aria-live="assertive">
      {notices.map((notice) => (
        <div key={notice.id} className={`pcrm-alert pcrm-alert--${notice.tone}`}>
          <p><strong>{names[notice.integrationId] ?? 'CRM'}:</strong> {notice.message}</p>
          <button type="button" className="pcrm-icon-button" aria-label="Dismiss" onClick={() => store.dismiss(notice.id)}>×</button>
        </div>
      ))}
    </div>
  );
}
