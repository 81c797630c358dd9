import type { AnalyticsFigures } from '../../src/analytics/analytics-schemas.js';
import { formatCount } from '../src/text/format.js';

/** The range's totals by model, by tool and by error code. */
export function FigureTables({ totals }: { totals: AnalyticsFigures }) {
  return (
    <div class="table-grid">
      <section class="card" aria-labelledby="by-model">
        <h2 id="by-model">Tokens by model</h2>
        {totals.tokens_by_model.length === 0 ? <p class="muted small">No turns.</p> : (
          <table data-table="models">
            <thead><tr><th scope="col">Model</th><th scope="col">Turns</th><th scope="col">In</th><th scope="col">Out</th></tr></thead>
            <tbody>
              {totals.tokens_by_model.map((row) => (
                <tr key={row.model}><th scope="row">{row.model}</th><td>{formatCount(row.turns)}</td><td>{formatCount(row.prompt_tokens)}</td><td>{formatCount(row.completion_tokens)}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section class="card" aria-labelledby="by-tool">
        <h2 id="by-tool">Tools</h2>
        {totals.tools.length === 0 ? <p class="muted small">No tool calls.</p> : (
          <table data-table="tools">
            <thead><tr><th scope="col">Tool</th><th scope="col">Calls</th><th scope="col">Failed</th><th scope="col">Error rate</th></tr></thead>
            <tbody>
              {totals.tools.map((row) => (
                <tr key={row.name}><th scope="row">{row.name}</th><td>{formatCount(row.calls)}</td><td>{formatCount(row.errors)}</td><td>{`${Math.round(row.error_rate * 1000) / 10} %`}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section class="card" aria-labelledby="by-code">
        <h2 id="by-code">Errors</h2>
        {totals.errors.length === 0 ? <p class="muted small">No errors.</p> : (
          <table data-table="errors">
            <thead><tr><th scope="col">Code</th><th scope="col">Count</th></tr></thead>
            <tbody>
              {totals.errors.map((row) => <tr key={row.code}><th scope="row">{row.code}</th><td>{formatCount(row.count)}</td></tr>)}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
