import { statusStyles, type DisplayStatus } from './status';

export function StatusPill({ status }: { status: DisplayStatus }) {
  const { label, tone } = statusStyles[status];
  return <span className={`pcrm-pill pcrm-pill--${tone}`}>{label}</span>;
}
