import type { AnalyticsReport } from '../../src/analytics/analytics-schemas.js';

/** One chart of the dashboard: lines over the report's buckets, a null where a bucket has no value. */
export interface ChartSpec {
  id: string;
  title: string;
  series: Array<{ label: string; values: Array<number | null> }>;
}

/** What the charts draw, from the report alone (pure; the numbers are the server's). */
export function dashboardCharts(report: AnalyticsReport): { times: number[]; charts: ChartSpec[] } {
  const buckets = report.buckets;
  const of = (pick: (bucket: AnalyticsReport['buckets'][number]) => number | null) => buckets.map(pick);
  const toolCalls = (bucket: AnalyticsReport['buckets'][number], field: 'calls' | 'errors') => bucket.tools.reduce((sum, tool) => sum + tool[field], 0);
  return {
    // uPlot reads times in seconds.
    times: buckets.map((bucket) => Date.parse(bucket.start) / 1000),
    charts: [
      {
        id: 'activity',
        title: 'Sessions, users and turns',
        series: [
          { label: 'Turns', values: of((bucket) => bucket.turns) },
          { label: 'Sessions', values: of((bucket) => bucket.sessions) },
          { label: 'Active users', values: of((bucket) => bucket.active_users) },
        ],
      },
      {
        id: 'outcomes',
        title: 'Turns that did not complete',
        series: [
          { label: 'Cancelled', values: of((bucket) => bucket.turns_by_status.cancelled) },
          { label: 'Interrupted', values: of((bucket) => bucket.turns_by_status.interrupted) },
          { label: 'Failed', values: of((bucket) => bucket.turns_by_status.error) },
        ],
      },
      {
        id: 'ttft',
        title: 'Time to first token (ms)',
        series: [
          { label: 'p50', values: of((bucket) => bucket.ttft_ms.p50) },
          { label: 'p95', values: of((bucket) => bucket.ttft_ms.p95) },
        ],
      },
      {
        id: 'duration',
        title: 'Turn duration (ms)',
        series: [
          { label: 'p50', values: of((bucket) => bucket.duration_ms.p50) },
          { label: 'p95', values: of((bucket) => bucket.duration_ms.p95) },
        ],
      },
      {
        id: 'tokens',
        title: 'Tokens',
        series: [
          { label: 'In (prompt)', values: of((bucket) => bucket.tokens.prompt) },
          { label: 'Out (completion)', values: of((bucket) => bucket.tokens.completion) },
        ],
      },
      {
        id: 'tools',
        title: 'Tool calls',
        series: [
          { label: 'Calls', values: of((bucket) => toolCalls(bucket, 'calls')) },
          { label: 'Failed', values: of((bucket) => toolCalls(bucket, 'errors')) },
        ],
      },
    ],
  };
}
