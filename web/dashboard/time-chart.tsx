import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { ChartSpec } from './dashboard-charts.js';

interface Props {
  chart: ChartSpec;
  /** Bucket starts, in seconds. */
  times: number[];
  bucket: 'day' | 'hour';
  scheme: 'light' | 'dark';
}

const height = 200;
/** Series colours from the page's theme variables, so light and dark both read well. */
const seriesColours = ['--accent', '--ok', '--warning', '--danger'];

/**
 * One uPlot line chart with its numbers as a table under it (for screen readers, and for
 * anyone who wants the exact figures). Times are shown in UTC, as the server buckets them.
 */
export function TimeChart({ chart, times, bucket, scheme }: Props) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    const style = getComputedStyle(element);
    const colour = (name: string) => style.getPropertyValue(name).trim();
    const axis = { stroke: colour('--muted'), grid: { stroke: colour('--border'), width: 1 }, ticks: { stroke: colour('--border'), width: 1 } };
    const plot = new uPlot(
      {
        width: Math.max(200, element.clientWidth),
        height,
        tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
        scales: { x: { time: true }, y: { range: (_plot, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
        // Ticks on whole buckets: a day chart never marks hours.
        axes: [{ ...axis, incrs: bucket === 'hour' ? [3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 7 * 86400] : [86400, 2 * 86400, 7 * 86400, 14 * 86400, 30 * 86400] }, { ...axis, size: 56 }],
        legend: { live: false },
        cursor: { points: { size: 6 } },
        series: [
          { label: bucket === 'hour' ? 'Hour (UTC)' : 'Day (UTC)' },
          ...chart.series.map((series, index) => ({
            label: series.label,
            stroke: colour(seriesColours[index % seriesColours.length]!),
            width: 2,
            points: { show: times.length <= 60, size: 5 },
          })),
        ],
      },
      [times, ...chart.series.map((series) => series.values)],
      element,
    );
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(200, element.clientWidth), height }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [chart, times, bucket, scheme]);

  return (
    <section class="chart card" aria-labelledby={`chart-${chart.id}`} data-chart={chart.id}>
      <h2 id={`chart-${chart.id}`}>{chart.title}</h2>
      <div class="chart-canvas" ref={host} aria-hidden="true" />
      <details>
        <summary>The numbers</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{bucket === 'hour' ? 'Hour (UTC)' : 'Day (UTC)'}</th>
              {chart.series.map((series) => <th scope="col" key={series.label}>{series.label}</th>)}
            </tr>
          </thead>
          <tbody>
            {times.map((time, row) => (
              <tr key={time}>
                <th scope="row">{bucketLabel(time, bucket)}</th>
                {chart.series.map((series) => <td key={series.label}>{series.values[row] ?? '–'}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

function bucketLabel(seconds: number, bucket: 'day' | 'hour'): string {
  const iso = new Date(seconds * 1000).toISOString();
  return bucket === 'hour' ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
}
