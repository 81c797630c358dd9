import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';

interface GrafanaPanel {
  title: string;
  targets?: Array<{ expr: string }>;
}

/** The metric families a PromQL expression reads: histogram series named by their family. */
function familiesIn(expression: string): string[] {
  return [...expression.matchAll(/\bparley_[a-z0-9_]+/g)].map(([name]) => name.replace(/_(bucket|sum|count)$/, ''));
}

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

it('queries only metrics that /metrics exposes, with the type each query needs', async () => {
  const dashboard = JSON.parse(await readFile(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8')) as { panels: GrafanaPanel[] };
  // One turn, so that labelled counters have series too.
  const client = await TestClient.connect(server.wsUrl, 'grafana-check');
  await client.ask('what is 2+2?');
  await client.close();
  const metrics = (await server.app.inject({ url: '/metrics' })).body;
  const types = new Map([...metrics.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => [name!, type!]));

  const queried = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expression: target.expr })));
  expect(queried.length).toBeGreaterThanOrEqual(20);
  for (const { panel, expression } of queried) {
    const families = familiesIn(expression);
    expect(families.length, `${panel}: ${expression}`).toBeGreaterThan(0);
    for (const family of families) {
      expect(types.get(family), `${panel} queries ${family}, which /metrics lacks`).toBeDefined();
      if (/histogram_quantile|_bucket/.test(expression)) expect(types.get(family), `${panel}: ${family}`).toBe('histogram');
      if (/\brate\(|increase\(/.test(expression) && !expression.includes('_bucket') && !expression.includes('_sum') && !expression.includes('_count')) {
        expect(['counter', 'gauge'], `${panel}: ${family}`).toContain(types.get(family));
      }
    }
  }
  expect(metrics).toMatch(/^parley_tokens_total\{direction="completion",model="parley-offline"\} [1-9]/m);
});
