import { useEffect, useState } from 'react';
import type { BrowsedRecord, RecordKind } from '../../../api/types';
import { usePulseCrm, useSyncState } from '../PulseCrmProvider';
import { useDebounced } from '../hooks/use-debounced';
import { useResource } from '../hooks/use-resource';
import { Empty, ErrorNotice } from '../ui/states';
import { columns, type Column } from './columns';
import { SortHeader } from './SortHeader';

const PAGE_SIZE = 25;
export type Sort = { key: string; order: 'asc' | 'desc' };

/**
 * One object's synced records as a person browses them: a search box, sortable columns, a total and
 * numbered pages (GET /api/<object>/browse). At phone width the rows become cards (CSS), each value
 * with its column's name.
 */
export function RecordsTable<K extends RecordKind>({ kind, integrationId }: { kind: K; integrationId?: string }) {
  const { api } = usePulseCrm();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const [sort, setSort] = useState<Sort>({ key: 'name', order: 'asc' });
  const [page, setPage] = useState(1);
  useEffect(() => setPage(1), [q, sort.key, sort.order]);
  const finishedSyncs = useSyncState((state) => Object.values(state.live).map((l) => l.finished?.logId).join());
  const result = useResource(() => api.browse(kind, { integrationId, q, sort: sort.key, order: sort.order, page, pageSize: PAGE_SIZE }),
    [api, kind, integrationId, q, sort.key, sort.order, page, finishedSyncs]);
  const cols = columns[kind] as unknown as Column<BrowsedRecord<K>>[];

  if (result.state === 'error' && !result.data) return <ErrorNotice title={`${kind} did not load`} message={result.error} onRetry={result.reload} />;
  const data = result.data;
  if (data && data.total === 0 && !q) {
    return <Empty title={`No ${kind} yet`}>They appear here once a CRM is connected and its first sync has run.</Empty>;
  }
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  return (
    <div className="pcrm-table-wrap" aria-busy={result.state === 'loading'}>
      <div className="pcrm-data__tools">
        <label className="pcrm-data__search">
          <span className="pcrm-visually-hidden">Search {kind}</span>
          <input type="search" placeholder={`Search ${kind}`} value={search} onChange={(event) => setSearch(event.target.value)} />
        </label>
        <label className="pcrm-data__sort">
          <span>Sort by</span>
          <select value={`${sort.key}:${sort.order}`} onChange={(event) => {
            const [key, order] = event.target.value.split(':') as [string, Sort['order']];
            setSort({ key, order });
          }}>
            {cols.filter((col) => col.sort).flatMap((col) => [
              <option key={`${col.sort}:asc`} value={`${col.sort}:asc`}>{col.label} {col.numeric ? '(low to high)' : '(A to Z)'}</option>,
              <option key={`${col.sort}:desc`} value={`${col.sort}:desc`}>{col.label} {col.numeric ? '(high to low)' : '(Z to A)'}</option>,
            ])}
          </select>
        </label>
        <p className="pcrm-data__total" role="status">
          {data ? `${data.total.toLocaleString()} ${data.total === 1 ? kind.replace(/ies$/, 'y').replace(/s$/, '') : kind}${q ? ` ${data.total === 1 ? 'matches' : 'match'} “${q}”` : ''}` : ''}
        </p>
      </div>
      <div className="pcrm-table-scroll" tabIndex={0} aria-label={`Synced ${kind}`} role="region">
        <table className="pcrm-table" role="table">
          <caption className="pcrm-visually-hidden">Synced {kind}, page {page} of {pages}</caption>
          <thead role="rowgroup">
            <tr role="row">{cols.map((col) => <SortHeader key={col.label} label={col.label} sortKey={col.sort} numeric={col.numeric} sort={sort} onSort={setSort} />)}</tr>
          </thead>
          <tbody role="rowgroup">
            {data
              ? data.items.map((record) => (
                <tr key={record.id} role="row">
                  {cols.map((col) => <td key={col.label} role="cell" data-label={col.label} className={col.numeric ? 'is-numeric' : undefined}>{col.cell(record)}</td>)}
                </tr>
              ))
              : Array.from({ length: 8 }, (_, i) => <tr key={i} aria-hidden="true">{cols.map((col) => <td key={col.label}><span className="pcrm-skeleton pcrm-skeleton--line" /></td>)}</tr>)}
          </tbody>
        </table>
        {data && data.total === 0 && <p className="pcrm-empty">Nothing matches “{q}”. Try fewer letters, or a name, an email or a domain.</p>}
      </div>
      <div className="pcrm-pager">
        <button type="button" className="pcrm-button pcrm-button--small" disabled={page === 1} onClick={() => setPage((p) => p - 1)}>Previous</button>
        <span className="pcrm-muted">Page {page} of {pages.toLocaleString()}</span>
        <button type="button" className="pcrm-button pcrm-button--small" disabled={page >= pages || result.state === 'loading'} onClick={() => setPage((p) => p + 1)}>Next</button>
      </div>
    </div>
  );
}
