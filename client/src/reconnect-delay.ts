/**
 * How long to wait before reconnect attempt `attempt` (0 = the first retry): doubling from
 * `baseMs` up to `maxMs`, with jitter so that many pages dropped at once do not return at once.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random, baseMs = 500, maxMs = 15_000): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
