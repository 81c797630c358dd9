/**
 * What the benchmark runs (issue 5): C concurrent sessions x M messages x 200 tokens at
 * 0 and 20 ms between tokens, and N idle sessions; each against the bare relay and Parley
 * on each database. M is chosen so the whole run stays under 10 minutes and `--quick` under 1
 * (Parley delivers ~7,000 tokens/s on one core today, so 1,000 sessions get one turn each).
 */
export type DatabaseKind = 'pglite' | 'postgres';

export interface LoadScenario {
  kind: 'load';
  name: string;
  sessions: number;
  messages: number;
  tokens: number;
  delayMs: number;
  firstTokenMs: number;
  /** First messages spread over this long (see load-generator.ts). */
  rampMs: number;
  /**
   * The relay and Parley are measured this many times, alternately; a target takes the
   * round in the middle. The relay's own p99s move by up to 1.7x from one run to the next,
   * and a ratio to a single run of it inherits that.
   */
  rounds: number;
}

export interface IdleScenario {
  kind: 'idle';
  name: string;
  sessions: number;
}

/** Start time and resident memory right after start, first start and restart (issue 20). */
export interface StartupScenario {
  kind: 'startup';
  name: string;
  /** RSS is read again this long after the first answer: V8 shrinks its heap after about 8 s idle. */
  settleMs: number;
}

export type Scenario = LoadScenario | IdleScenario | StartupScenario;

function load(sessions: number, delayMs: number, messages: number, tokens = 200, rounds = 1): LoadScenario {
  return {
    kind: 'load',
    name: `${sessions}x${delayMs}ms`,
    sessions,
    messages,
    tokens,
    delayMs,
    firstTokenMs: 0,
    rampMs: Math.min(1_000, sessions * 2),
    rounds,
  };
}

function idle(sessions: number): IdleScenario {
  return { kind: 'idle', name: `${sessions} idle`, sessions };
}

function startup(settleMs = 10_000): StartupScenario {
  return { kind: 'startup', name: 'startup-memory', settleMs };
}

export interface Plan {
  scenarios: Scenario[];
  databases: DatabaseKind[];
}

export function planFor(mode: 'full' | 'quick' | 'tiny'): Plan {
  switch (mode) {
    case 'full':
      return {
        // Three rounds where the latency targets are judged, so that one run of the relay does not decide them.
        scenarios: [load(10, 0, 10), load(10, 20, 2), load(100, 0, 3), load(100, 20, 2, 200, 3), load(1000, 0, 1), load(1000, 20, 1, 200, 3), idle(10_000), startup()],
        databases: ['pglite', 'postgres'],
      };
    case 'quick':
      return { scenarios: [load(10, 0, 5), load(100, 0, 2), load(100, 20, 1), idle(1_000), startup()], databases: ['pglite'] };
    case 'tiny':
      // For the benchmark's own test: every piece runs, in seconds.
      return { scenarios: [load(2, 20, 2, 5, 2), idle(20), startup(1_000)], databases: ['pglite'] };
  }
}
