import type { ReactNode } from 'react';
import type { RecordKind, RecordsByKind } from '../../../api/types';

interface Column<T> {
  label: string;
  cell: (record: T) => ReactNode;
  numeric?: boolean;
}

const text = (value: string | null) => value || <span className="pcrm-muted">—</span>;
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

/** What each synced object's table shows; the typed columns the API returns. */
export const columns: { [K in RecordKind]: Column<RecordsByKind[K]>[] } = {
  contacts: [
    { label: 'Name', cell: (r) => text([r.firstName, r.lastName].filter(Boolean).join(' ')) },
    { label: 'Email', cell: (r) => text(r.email) },
    { label: 'Phone', cell: (r) => text(r.phone) },
    { label: 'Job title', cell: (r) => text(r.jobTitle) },
  ],
  companies: [
    { label: 'Name', cell: (r) => text(r.name) },
    { label: 'Domain', cell: (r) => text(r.domain) },
    { label: 'Industry', cell: (r) => text(r.industry) },
    { label: 'Location', cell: (r) => text([r.city, r.country].filter(Boolean).join(', ')) },
  ],
  deals: [
    { label: 'Name', cell: (r) => text(r.name) },
    { label: 'Amount', cell: (r) => money(r.amount, r.currency), numeric: true },
    { label: 'Stage', cell: (r) => text(r.stage) },
    { label: 'Close date', cell: (r) => date(r.closeDate) },
  ],
};
