import type { SyncLogDto } from '../../../api/types';
import { syncLogStyles } from '../ui/status';

const W = 320;
const H = 96;
const PAD = { top: 8, bottom: 18, left: 4, right: 4 };

/** Records per sync, oldest on the left; a bar's colour is the run's status. Plain SVG, scales to its box. */
export function SyncHistoryChart({ logs }: { logs: SyncLogDto[] }) {
  const runs = [...logs].reverse().slice(-20);
  if (runs.length === 0) return null;
  const max = Math.max(1, ...runs.map((run) => run.recordsSynced));
  const slot = (W - PAD.left - PAD.right) / Math.max(runs.length, 8);
  const barWidth = Math.max(4, slot * 0.7);
  const plotHeight = H - PAD.top - PAD.bottom;
  const latest = runs[runs.length - 1]!;
  const summary = `Records per sync for the last ${runs.length} syncs: most ${max.toLocaleString()}, latest ${latest.recordsSynced.toLocaleString()}.`;

  return (
    <figure className="pcrm-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} preserveAspectRatio="none">
        <line x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} className="pcrm-chart__axis" />
        {runs.map((run, index) => {
          const height = run.recordsSynced === 0 ? 1 : Math.max(2, (run.recordsSynced / max) * plotHeight);
          return (
            <rect
              key={run.id}
              x={PAD.left + index * slot + (slot - barWidth) / 2}
              y={H - PAD.bottom - height}
              width={barWidth}
              height={height}
              rx={1.5}
              fill={syncLogStyles[run.status].colour}
            >
              <title>{`${new Date(run.startedAt).toLocaleString()}: ${run.recordsSynced.toLocaleString()} records (${syncLogStyles[run.status].label})`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="pcrm-chart__caption">
        <span>Records per sync, oldest → newest</span>
        <span>max {max.toLocaleString()}</span>
      </figcaption>
    </figure>
  );
}
