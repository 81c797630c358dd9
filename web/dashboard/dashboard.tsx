import { useEffect, useMemo, useState } from 'preact/hooks';
import { formatCount } from '../src/text/format.js';
import { fetchAnalytics, type AnalyticsReport } from './analytics-api.js';
import { dashboardCharts } from './dashboard-charts.js';
import { addressOf, datesOfReport, filtersFromAddress, type DashboardFilters } from './dashboard-filters.js';
import { FigureTables } from './figure-tables.js';
import { TimeChart } from './time-chart.js';
import { useColorScheme } from './use-color-scheme.js';

interface Props {
  /** Who is signed in (`operator` for an operator's token); null in open mode. */
  who: string | null;
}

type Load = { kind: 'loading' } | { kind: 'failed'; problem: string } | { kind: 'ready'; report: AnalyticsReport };

/** The analytics page: filters, the totals, a chart per measure, and the tables by model, tool and error. */
export function Dashboard({ who }: Props) {
  const [filters, setFilters] = useState<DashboardFilters>(() => filtersFromAddress(location.search));
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const scheme = useColorScheme();

  useEffect(() => {
    let current = true;
    setLoad((previous) => (previous.kind === 'ready' ? previous : { kind: 'loading' }));
    void fetchAnalytics(filters).then((outcome) => {
      if (!current) return;
      setLoad('report' in outcome ? { kind: 'ready', report: outcome.report } : { kind: 'failed', problem: outcome.problem });
    });
    return () => {
      current = false;
    };
  }, [filters]);

  useEffect(() => {
    const onPopState = () => setFilters(filtersFromAddress(location.search));
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);

  const apply = (next: DashboardFilters) => {
    history.pushState(null, '', addressOf(next));
    setFilters(next);
  };

  const report = load.kind === 'ready' ? load.report : null;
  const shown = report ? { ...datesOfReport(report), bucket: report.bucket } : filters;
  const charts = useMemo(() => (report ? dashboardCharts(report) : null), [report]);

  return (
    <div class="dashboard">
      <header class="dashboard-head">
        <a class="brand" href="/"><span class="brand-mark" aria-hidden="true">◆</span> Parley</a>
        <h1>Dashboard</h1>
        <span class="muted small">{who === null ? 'All sessions on this machine' : who === 'operator' ? 'All users (operator)' : `Your sessions (${who})`}</span>
        <a class="button small" href="/">Back to the chat</a>
      </header>
      <FilterForm key={`${shown.from}|${shown.to}|${shown.bucket}`} initial={shown} onApply={apply} />
      {load.kind === 'failed' ? <div class="banner banner-error" role="alert">{load.problem}</div> : null}
      {load.kind === 'loading' ? <p class="loading muted">Counting…</p> : null}
      {report && charts ? (
        <main class="dashboard-body" data-from={report.from} data-to={report.to} data-bucket={report.bucket}>
          <Totals report={report} />
          <div class="chart-grid">
            {charts.charts.map((chart) => <TimeChart key={chart.id} chart={chart} times={charts.times} bucket={report.bucket} scheme={scheme} />)}
          </div>
          <FigureTables totals={report.totals} />
        </main>
      ) : null}
    </div>
  );
}

function FilterForm({ initial, onApply }: { initial: DashboardFilters; onApply: (filters: DashboardFilters) => void }) {
  const [draft, setDraft] = useState(initial);
  return (
    <form
      class="filters"
      aria-label="Filters"
      onSubmit={(event) => {
        event.preventDefault();
        onApply(draft);
      }}
    >
      <label>
        From <input type="date" name="from" value={draft.from} onInput={(event) => setDraft({ ...draft, from: event.currentTarget.value })} />
      </label>
      <label>
        To <input type="date" name="to" value={draft.to} onInput={(event) => setDraft({ ...draft, to: event.currentTarget.value })} />
      </label>
      <label>
        By{' '}
        <select name="bucket" value={draft.bucket} onChange={(event) => setDraft({ ...draft, bucket: event.currentTarget.value === 'hour' ? 'hour' : 'day' })}>
          <option value="day">day</option>
          <option value="hour">hour</option>
        </select>
      </label>
      <button type="submit" class="button primary small">Show</button>
      <span class="muted small">Days and hours in UTC; up to 366 days by day, 31 by hour.</span>
    </form>
  );
}

function Totals({ report }: { report: AnalyticsReport }) {
  const { totals } = report;
  const milliseconds = (value: number | null) => (value === null ? '–' : `${formatCount(value)} ms`);
  const figures: Array<[string, string, string]> = [
    ['sessions', 'Sessions', formatCount(totals.sessions)],
    ['active_users', 'Active users', formatCount(totals.active_users)],
    ['turns', 'Turns', formatCount(totals.turns)],
    ['ttft', 'First token p50 / p95', `${milliseconds(totals.ttft_ms.p50)} / ${milliseconds(totals.ttft_ms.p95)}`],
    ['duration', 'Turn p50 / p95', `${milliseconds(totals.duration_ms.p50)} / ${milliseconds(totals.duration_ms.p95)}`],
    ['tokens', 'Tokens in / out', `${formatCount(totals.tokens.prompt)} / ${formatCount(totals.tokens.completion)}`],
    ['cancelled', 'Cancelled / interrupted', `${formatCount(totals.turns_by_status.cancelled)} / ${formatCount(totals.turns_by_status.interrupted)}`],
    ['failed', 'Failed turns', formatCount(totals.turns_by_status.error)],
  ];
  return (
    <section class="totals" aria-label="Totals">
      {figures.map(([id, label, value]) => (
        <div class="card total" key={id} data-total={id}>
          <span class="total-label">{label}</span>
          <strong class="total-value">{value}</strong>
        </div>
      ))}
    </section>
  );
}
