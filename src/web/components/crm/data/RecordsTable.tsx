import { useState } from 'react';
import type { RecordKind, RecordsByKind } from '../../../api/types';
import { usePulseCrm, useSyncState } from '../PulseCrmProvider';
import { useResource } from '../hooks/use-resource';
import { Empty, ErrorNotice } from '../ui/states';
import { columns } from './columns';

const PAGE_SIZE = 25;

/** One object's synced records, a page at a time (cursor paging: a stack of cursors for Previous). */
export function RecordsTable<K extends RecordKind>({ kind, integrationId }: { kind: K; integrationId?: string }) {
  const { api } = usePulseCrm();
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const finishedSyncs = useSyncState((state) => Object.values(state.live).map((l) => l.finished?.logId).join());
  const page = useResource(() => api.records(kind, { integrationId, includeDeleted: false, limit: PAGE_SIZE, cursor }), [api, kind, integrationId, cursor, finishedSyncs]);
  const cols = columns[kind] as unknown as { label: string; cell: (r: RecordsByKind[K]) => React.ReactNode; numeric?: boolean }[];

  if (page.state === 'error' && !page.data) return <ErrorNotice title={`${kind} did not load`} message={page.error} onRetry={page.reload} />;
  if (page.data && page.data.items.length === 0 && cursors.length === 1) {
    return <Empty title={`No ${kind} yet`}>They appear here once a CRM is connected and its first sync has run.</Empty>;
  }
  const rows = page.data?.items;
  return (
    <div className="pcrm-table-wrap" aria-busy={page.state === 'loading'}>
      <div className="pcrm-table-scroll" tabIndex={0} aria-label={`Synced ${kind}`} role="region">
      <table className="pcrm-table">
        <caption className="pcrm-visually-hidden">Synced {kind}, page {cursors.length}</caption>
        <thead>
          <tr>{cols.map((col) => <th key={col.label} scope="col" className={col.numeric ? 'is-numeric' : undefined}>{col.label}</th>)}</tr>
        </thead>
        <tbody>
          {rows
            ? rows.map((record) => (
              <tr key={record.id}>{cols.map((col) => <td key={col.label} className={col.numeric ? 'is-numeric' : undefined}>{col.cell(record)}</td>)}</tr>
            ))
            : Array.from({ length: 8 }, (_, i) => <tr key={i} aria-hidden="true">{cols.map((col) => <td key={col.label}><span className="pcrm-skeleton pcrm-skeleton--line" /></td>)}</tr>)}
        </tbody>
      </table>
      </div>
      <div className="pcrm-pager">
        <button type="button" className="pcrm-button pcrm-button--small" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>Previous</button>
        <span className="pcrm-muted">Page {cursors.length}</span>
        <button type="button" className="pcrm-button pcrm-button--small" disabled={!page.data?.nextCursor || page.state === 'loading'} onClick={() => setCursors((c) => [...c, page.data!.nextCursor])}>Next</button>
      </div>
    </div>
  );
}
