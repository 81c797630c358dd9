import type { AnalyticsReport } from '../../src/analytics/analytics-schemas.js';
import { readProblem } from '../src/api/read-problem.js';
import { authorizedFetch } from '../src/api/sessions-api.js';
import type { DashboardFilters } from './dashboard-filters.js';

export type { AnalyticsReport } from '../../src/analytics/analytics-schemas.js';

/** The report, or the server's refusal in its own words (a bad date, too long a range). */
export async function fetchAnalytics(filters: DashboardFilters): Promise<{ report: AnalyticsReport } | { problem: string }> {
  const query = new URLSearchParams({ bucket: filters.bucket });
  if (filters.from) query.set('from', filters.from);
  if (filters.to) query.set('to', filters.to);
  let response: Response;
  try {
    response = await authorizedFetch(`/api/analytics?${query}`);
  } catch {
    return { problem: 'The server could not be reached.' };
  }
  if (!response.ok) return { problem: (await readProblem(response)).message };
  return { report: (await response.json()) as AnalyticsReport };
}
