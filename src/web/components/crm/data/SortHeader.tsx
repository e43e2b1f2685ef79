import type { Sort } from './RecordsTable';

/** A column header that sorts by its column: aria-sort says the current order, a click flips it. */
export function SortHeader({ label, sortKey, numeric, sort, onSort }: { label: string; sortKey?: string; numeric?: boolean; sort: Sort; onSort: (sort: Sort) => void }) {
  const active = sortKey !== undefined && sort.key === sortKey;
  const className = numeric ? 'is-numeric' : undefined;
  if (!sortKey) return <th scope="col" role="columnheader" className={className}>{label}</th>;
  return (
    <th scope="col" role="columnheader" className={className} aria-sort={active ? (sort.order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="pcrm-sort" onClick={() => onSort({ key: sortKey, order: active && sort.order === 'asc' ? 'desc' : 'asc' })}>
        {label}<span aria-hidden="true" className="pcrm-sort__arrow">{active ? (sort.order === 'asc' ? '▲' : '▼') : '↕'}</span>
      </button>
    </th>
  );
}
