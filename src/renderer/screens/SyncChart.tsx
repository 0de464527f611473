import type { TimelinePoint } from '../../shared/contract';
import { plural } from '../ui/format';

/**
 * Documents synced (bars) and failures (a red bar stacked on top) per bucket,
 * in hand-rolled SVG: two series do not justify a charting library.
 */
export function SyncChart(props: { points: TimelinePoint[]; bucket: 'hour' | 'day' }) {
  const width = 720;
  const height = 180;
  const pad = { left: 36, right: 8, top: 10, bottom: 24 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const totals = props.points.map((p) => p.synced + p.updated + p.failed);
  const max = Math.max(1, ...totals);
  const step = props.points.length > 0 ? innerW / props.points.length : innerW;
  const barW = Math.max(2, step * 0.7);
  const y = (value: number) => pad.top + innerH - (value / max) * innerH;
  const label = (start: number) =>
    props.bucket === 'hour'
      ? new Date(start).toLocaleTimeString([], { hour: '2-digit' })
      : new Date(start).toLocaleDateString([], { month: 'short', day: 'numeric' });
  const labelEvery = Math.max(1, Math.ceil(props.points.length / 8));
  const totalSynced = props.points.reduce((n, p) => n + p.synced + p.updated, 0);
  const totalFailed = props.points.reduce((n, p) => n + p.failed, 0);
  const empty = totalSynced + totalFailed === 0;

  return (
    <figure className="chart" data-testid="sync-chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`Documents synced per ${props.bucket}: ${totalSynced} synced, ${totalFailed} failed`}
      >
        {axisTicks(max).map((tick) => (
          <g key={tick}>
            <line className="chart-grid" x1={pad.left} x2={width - pad.right} y1={y(tick)} y2={y(tick)} />
            <text className="chart-axis" x={pad.left - 6} y={y(tick) + 4} textAnchor="end">
              {tick}
            </text>
          </g>
        ))}
        {empty && (
          <text className="chart-empty" x={pad.left + innerW / 2} y={pad.top + innerH / 2} textAnchor="middle">
            No documents synced in this period
          </text>
        )}
        {props.points.map((p, i) => {
          const x = pad.left + i * step + (step - barW) / 2;
          const ok = p.synced + p.updated;
          return (
            <g key={p.start} data-testid="chart-bar" data-synced={ok} data-failed={p.failed}>
              <title>{`${label(p.start)}: ${ok} synced, ${p.failed} failed, ${plural(p.runs, 'run')}`}</title>
              {ok > 0 && <rect className="chart-ok" x={x} width={barW} y={y(ok)} height={y(0) - y(ok)} rx={2} />}
              {p.failed > 0 && (
                <rect
                  className="chart-bad"
                  x={x}
                  width={barW}
                  y={y(ok + p.failed)}
                  height={y(ok) - y(ok + p.failed)}
                  rx={2}
                />
              )}
              {i % labelEvery === 0 && (
                <text className="chart-axis" x={x + barW / 2} y={height - 6} textAnchor="middle">
                  {label(p.start)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="chart-legend">
        <span>
          <i className="swatch swatch-ok" /> synced ({totalSynced})
        </span>
        <span>
          <i className="swatch swatch-bad" /> failed ({totalFailed})
        </span>
      </figcaption>
    </figure>
  );
}

/** Whole, distinct numbers for the y axis: 0 and the top, and a middle line when it is a whole number too. */
export function axisTicks(max: number): number[] {
  const middle = max / 2;
  return [...new Set([0, Number.isInteger(middle) ? middle : null, max].filter((t): t is number => t !== null))];
}
