import { useNow } from '../hooks/use-now';

const units: [Intl.RelativeTimeFormatUnit, number][] = [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000]];
const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

export function relative(iso: string, now: number): string {
  const diff = new Date(iso).getTime() - now;
  if (Math.abs(diff) < 45_000) return 'just now';
  for (const [unit, ms] of units) if (Math.abs(diff) >= ms || unit === 'minute') return format.format(Math.round(diff / ms), unit);
  return 'just now';
}

/** "3 minutes ago", kept current; the exact time is in the tooltip and the datetime attribute. */
export function RelativeTime({ iso, fallback = 'never' }: { iso: string | null | undefined; fallback?: string }) {
  const now = useNow(15_000);
  if (!iso) return <span>{fallback}</span>;
  return <time dateTime={iso} title={new Date(iso).toLocaleString()}>{relative(iso, now)}</time>;
}
