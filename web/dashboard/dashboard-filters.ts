/** The dashboard's filters, kept in the address (`/dashboard?from=&to=&bucket=`) so a link shows the same figures. */
export interface DashboardFilters {
  /** ISO dates (YYYY-MM-DD); empty: the server's default, the last 7 days. */
  from: string;
  to: string;
  bucket: 'day' | 'hour';
}

export function filtersFromAddress(search: string): DashboardFilters {
  const query = new URLSearchParams(search);
  return { from: query.get('from') ?? '', to: query.get('to') ?? '', bucket: query.get('bucket') === 'hour' ? 'hour' : 'day' };
}

export function addressOf(filters: DashboardFilters): string {
  const query = new URLSearchParams();
  if (filters.from) query.set('from', filters.from);
  if (filters.to) query.set('to', filters.to);
  if (filters.bucket !== 'day') query.set('bucket', filters.bucket);
  const text = query.toString();
  return text === '' ? '/dashboard' : `/dashboard?${text}`;
}

/** The dates a report covers as the date inputs show them: `to` is excluded, so its last day is the one before. */
export function datesOfReport(report: { from: string; to: string }): { from: string; to: string } {
  return { from: report.from.slice(0, 10), to: new Date(Date.parse(report.to) - 1).toISOString().slice(0, 10) };
}
