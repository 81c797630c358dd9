import type { SessionSummary } from '../api/sessions-api.js';
import { formatCount, formatDuration, formatWhen } from '../text/format.js';

/** A session's summary and metrics, written when it last ended. */
export function SessionDetails({ session }: { session: SessionSummary }) {
  const metadata = session.metadata;
  const tokens = (metadata.prompt_tokens ?? 0) + (metadata.completion_tokens ?? 0);
  const rows: Array<[string, string]> = [];
  if (typeof metadata.duration_seconds === 'number') rows.push(['Duration', formatDuration(metadata.duration_seconds * 1000)]);
  if (typeof metadata.message_count === 'number') rows.push(['Messages', formatCount(metadata.message_count)]);
  if (typeof metadata.tool_calls === 'number') rows.push(['Tool calls', formatCount(metadata.tool_calls)]);
  if (tokens > 0) rows.push(['Tokens', `${formatCount(tokens)} (${formatCount(metadata.prompt_tokens ?? 0)} in, ${formatCount(metadata.completion_tokens ?? 0)} out)`]);
  if (typeof metadata.ttft_ms_mean === 'number') {
    const p95 = typeof metadata.ttft_ms_p95 === 'number' ? `, p95 ${formatDuration(metadata.ttft_ms_p95)}` : '';
    rows.push(['First token', `${formatDuration(metadata.ttft_ms_mean)} mean${p95}`]);
  }
  if (!session.summary && rows.length === 0) return null;
  return (
    <details class="session-details" open>
      <summary>
        Summary{session.end_time ? <> · ended {formatWhen(session.end_time)}</> : null}
      </summary>
      {session.summary ? <p class="session-details-summary">{session.summary}</p> : null}
      {rows.length > 0 ? (
        <dl class="metrics">
          {rows.map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </details>
  );
}
