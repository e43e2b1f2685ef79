import type { SyncLogDto } from '../../../api/types';
import { RelativeTime } from '../ui/RelativeTime';
import { syncLogStyles } from '../ui/status';

const W = 320;
const H = 96;
const PAD = { top: 8, bottom: 4, left: 6, right: 6 };
const BAR = 8;
/** A run that changed nothing still gets a visible stub: it happened, and its colour says how it ended. */
const STUB = 3;

/**
 * Records per sync against time: each bar sits where its run started, so gaps between runs show.
 * The height is on a log scale — a first full sync of thousands and incremental runs of a handful
 * both stay readable (on a linear scale the incremental ones were 1-px slivers). Plain SVG.
 */
export function SyncHistoryChart({ logs }: { logs: SyncLogDto[] }) {
  const runs = [...logs].reverse().slice(-20);
  if (runs.length === 0) return null;
  const times = runs.map((run) => new Date(run.startedAt).getTime());
  const first = times[0]!;
  const span = Math.max(1, times[times.length - 1]! - first);
  const max = Math.max(1, ...runs.map((run) => run.recordsSynced));
  const plotHeight = H - PAD.top - PAD.bottom;
  const plotWidth = W - PAD.left - PAD.right - BAR;
  const height = (n: number) => Math.max(STUB, (Math.log10(1 + n) / Math.log10(1 + max)) * plotHeight);
  const x = (time: number) => PAD.left + (runs.length === 1 ? plotWidth / 2 : ((time - first) / span) * plotWidth);
  const ticks = [10, 100, 1_000, 10_000, 100_000, 1_000_000].filter((tick) => tick < max);
  const latest = runs[runs.length - 1]!;
  const summary = `Records per sync for the last ${runs.length} syncs, log scale: most ${max.toLocaleString()}, latest ${latest.recordsSynced.toLocaleString()}.`;

  return (
    <figure className="pcrm-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} preserveAspectRatio="none">
        {ticks.map((tick) => <line key={tick} x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom - height(tick)} y2={H - PAD.bottom - height(tick)} className="pcrm-chart__grid" />)}
        <line x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} className="pcrm-chart__axis" />
        {runs.map((run, index) => {
          const h = height(run.recordsSynced);
          return (
            <rect key={run.id} x={x(times[index]!)} y={H - PAD.bottom - h} width={BAR} height={h} rx={1.5} fill={syncLogStyles[run.status].colour}>
              <title>{`${new Date(run.startedAt).toLocaleString()} (${run.syncType}): ${run.recordsSynced.toLocaleString()} records, ${syncLogStyles[run.status].label.toLowerCase()}`}</title>
            </rect>
          );
        })}
      </svg>
      <div className="pcrm-chart__times" aria-hidden="true">
        <RelativeTime iso={runs[0]!.startedAt} />
        {runs.length > 1 && <RelativeTime iso={latest.startedAt} />}
      </div>
      <figcaption className="pcrm-chart__caption">
        <span>Records per sync over time (log scale{ticks.length ? `, lines at ${ticks.map((t) => t.toLocaleString()).join(' · ')}` : ''})</span>
        <span>max {max.toLocaleString()}</span>
      </figcaption>
    </figure>
  );
}
