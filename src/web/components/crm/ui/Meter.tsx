/** A labelled bar: sync progress (indeterminate when the total is unknown) or quota usage. */
export function Meter({ label, value, max, tone = 'busy' }: { label: string; value?: number; max?: number; tone?: 'busy' | 'ok' | 'warn' | 'bad' }) {
  const known = value !== undefined && max !== undefined && max > 0;
  const share = known ? Math.min(1, value / max) : 0;
  return (
    <div
      className={`pcrm-meter pcrm-meter--${tone}${known ? '' : ' pcrm-meter--indeterminate'}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={known ? 0 : undefined}
      aria-valuemax={known ? max : undefined}
      aria-valuenow={known ? value : undefined}
    >
      <span className="pcrm-meter__fill" style={known ? { width: `${share * 100}%` } : undefined} />
    </div>
  );
}
