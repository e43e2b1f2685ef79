import { useEffect, useState } from 'react';
import type { SyncLogDto } from '../../../api/types';
import { usePulseCrm } from '../PulseCrmProvider';
import { useResource } from '../hooks/use-resource';
import { Empty, ErrorNotice, Loading } from '../ui/states';
import { SyncHistoryChart } from './SyncHistoryChart';
import { SyncLogRow } from './SyncLogRow';

const PAGE = 10;

/** crm_sync_logs for one integration, newest first, with a chart; fetched again when a run starts or ends. */
export function SyncHistory({ integrationId, changeKey }: { integrationId: string; changeKey: string }) {
  const { api } = usePulseCrm();
  const first = useResource(() => api.syncLogs(integrationId, { limit: PAGE }), [api, integrationId, changeKey]);
  const [older, setOlder] = useState<{ items: SyncLogDto[]; nextCursor: string | null } | null>(null);
  const [moreError, setMoreError] = useState<string>();
  useEffect(() => setOlder(null), [first.data]);

  if (!first.data) return first.state === 'error' ? <ErrorNotice message={first.error} onRetry={first.reload} /> : <Loading label="Loading sync history" lines={2} />;
  const logs = [...first.data.items, ...(older?.items ?? [])];
  const cursor = older ? older.nextCursor : first.data.nextCursor;
  if (logs.length === 0) return <Empty title="No syncs yet">The first one starts right after connecting.</Empty>;

  const loadMore = async () => {
    try {
      const page = await api.syncLogs(integrationId, { limit: PAGE, cursor });
      setOlder({ items: [...(older?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    } catch (error) {
      setMoreError((error as Error).message);
    }
  };
  return (
    <div className="pcrm-history">
      <SyncHistoryChart logs={logs} />
      <ul className="pcrm-logs" aria-label="Sync history">
        {logs.map((log) => <SyncLogRow key={log.id} log={log} />)}
      </ul>
      {moreError && <ErrorNotice message={moreError} />}
      {cursor && <button type="button" className="pcrm-button pcrm-button--small" onClick={loadMore}>Show older syncs</button>}
    </div>
  );
}
