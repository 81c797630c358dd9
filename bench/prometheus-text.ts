/** Reads one sample from Prometheus text (`/metrics`); labels must match exactly those given. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | null {
  const wanted = Object.entries(labels);
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = new Map(
      [...(match[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [pair[1], pair[2]] as const),
    );
    if (wanted.length !== found.size) continue;
    if (wanted.every(([key, value]) => found.get(key) === value)) return Number(match[4]);
  }
  return null;
}

export async function fetchMetrics(httpUrl: string): Promise<string> {
  const response = await fetch(`${httpUrl}/metrics`);
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  return response.text();
}
