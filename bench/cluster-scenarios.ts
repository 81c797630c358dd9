import type { LoadScenario } from './scenarios.js';

/**
 * The scenarios of several instances (issue 14), on PostgreSQL and Redis:
 * - `cluster-split`: each session has two sockets, the first on the instance that runs it, the
 *   second on another one (a follower), against the same sockets both on one instance;
 * - `cluster-workers`: one socket per session on one port served by WORKERS=2, against WORKERS=1.
 * Their names match no `--only` of the one-instance scenarios (`1000x20ms`, `idle`, ...).
 */
type Pacing = Pick<LoadScenario, 'sessions' | 'messages' | 'tokens' | 'delayMs' | 'firstTokenMs' | 'rampMs' | 'rounds'>;

export interface SplitScenario extends Pacing {
  kind: 'split';
  name: 'cluster-split';
}

export interface WorkersScenario extends Pacing {
  kind: 'workers';
  name: 'cluster-workers';
  workers: number;
}

export type ClusterScenario = SplitScenario | WorkersScenario;

function pacing(sessions: number, delayMs: number, messages: number, tokens: number, rounds: number): Pacing {
  return { sessions, messages, tokens, delayMs, firstTokenMs: 0, rampMs: Math.min(1_000, sessions * 2), rounds };
}

export function clusterPlanFor(mode: 'full' | 'quick' | 'tiny'): ClusterScenario[] {
  switch (mode) {
    case 'full':
      return [
        { kind: 'split', name: 'cluster-split', ...pacing(100, 20, 2, 200, 3) },
        // Three messages: with one, the 1 s ramp and the 4 s turn cap any server at 40,000 tokens/s,
        // which is less than 1.5x what one instance reaches; with three the cap is 46,000.
        { kind: 'workers', name: 'cluster-workers', workers: 2, ...pacing(1000, 20, 3, 200, 3) },
      ];
    case 'quick':
      // Every piece once, with short answers: a smoke test of the cluster path, not figures to judge.
      return [
        { kind: 'split', name: 'cluster-split', ...pacing(20, 20, 1, 50, 1) },
        { kind: 'workers', name: 'cluster-workers', workers: 2, ...pacing(100, 20, 1, 50, 1) },
      ];
    case 'tiny':
      return [];
  }
}

/** What a load of this shape delivers at most, whatever the server: the ramp, then each turn's tokens at their pace. */
export function offeredTokensPerSecond(scenario: Pacing): number {
  const idealMs = scenario.rampMs + scenario.messages * (scenario.firstTokenMs + scenario.tokens * scenario.delayMs);
  return Math.round((scenario.sessions * scenario.messages * scenario.tokens) / (idealMs / 1000));
}
