import type { ReactNode } from 'react';
import type { BrowsedRecord, RecordKind } from '../../../api/types';

export interface Column<T> {
  label: string;
  cell: (record: T) => ReactNode;
  /** The browse API's sort key, when this column can be sorted. */
  sort?: string;
  numeric?: boolean;
}

const text = (value: string | null | undefined) => value || <span className="pcrm-muted">—</span>;
/** What the CRM shows for a coded value (its label), else the value itself. */
const labelled = (record: { labels: Record<string, string> }, field: string, value: string | null) => text(record.labels[field] ?? value);
const money = (amount: number | string | null, currency: string | null) => {
  if (amount === null || amount === '') return text(null);
  const value = Number(amount);
  if (!Number.isFinite(value)) return String(amount);
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency || 'USD', maximumFractionDigits: 0 }).format(value);
  } catch {
    return `${value.toLocaleString()} ${currency ?? ''}`;
  }
};
const date = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString() : text(null));

/** What each synced object's table shows; the typed columns the API returns, with the CRM's labels. */
export const columns: { [K in RecordKind]: Column<BrowsedRecord<K>>[] } = {
  contacts: [
    { label: 'Name', sort: 'name', cell: (r) => text([r.firstName, r.lastName].filter(Boolean).join(' ')) },
    { label: 'Email', sort: 'email', cell: (r) => text(r.email) },
    { label: 'Phone', sort: 'phone', cell: (r) => text(r.phone) },
    { label: 'Job title', sort: 'jobTitle', cell: (r) => text(r.jobTitle) },
  ],
  companies: [
    { label: 'Name', sort: 'name', cell: (r) => text(r.name) },
    { label: 'Domain', sort: 'domain', cell: (r) => text(r.domain) },
    { label: 'Industry', sort: 'industry', cell: (r) => labelled(r, 'industry', r.industry) },
    { label: 'Location', sort: 'location', cell: (r) => text([r.city, r.country].filter(Boolean).join(', ')) },
  ],
  deals: [
    { label: 'Name', sort: 'name', cell: (r) => text(r.name) },
    { label: 'Amount', sort: 'amount', cell: (r) => money(r.amount, r.currency), numeric: true },
    { label: 'Stage', sort: 'stage', cell: (r) => labelled(r, 'stage', r.stage) },
    { label: 'Close date', sort: 'closeDate', cell: (r) => date(r.closeDate) },
  ],
};
