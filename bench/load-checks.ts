import type { LoadScenario } from './scenarios.js';

/** The load generators' shared arguments: the conversation's shape, its ramp and how long a turn may take. */
export function loadArguments(scenario: Pick<LoadScenario, 'sessions' | 'messages' | 'tokens' | 'rampMs' | 'firstTokenMs' | 'delayMs'>, prefix: string, pace: string | undefined): string[] {
  return [
    '--sessions', String(scenario.sessions),
    '--messages', String(scenario.messages),
    '--tokens', String(scenario.tokens),
    '--prefix', prefix,
    '--ramp-ms', String(scenario.rampMs),
    '--turn-timeout-ms', String(120_000 + scenario.firstTokenMs + scenario.tokens * scenario.delayMs * 3),
    ...(pace ? ['--pace', pace] : []),
  ];
}

interface LoadOutcome {
  connectFailures: number;
  outcomes: { lost: number; wrong: number; out_of_order: number };
  clientCpuMs: number;
  durationMs: number;
}

/** What every load's result says went wrong, in words for the report. */
export function loadProblems(load: LoadOutcome, fakeModelCpuMs: number, connectFailure = 'sessions could not connect'): string[] {
  const problems: string[] = [];
  if (load.connectFailures > 0) problems.push(`${load.connectFailures} ${connectFailure}`);
  const { lost, wrong, out_of_order: outOfOrder } = load.outcomes;
  if (lost + wrong + outOfOrder > 0) problems.push(`turns lost ${lost}, wrong ${wrong}, out of order ${outOfOrder}`);
  if ((load.clientCpuMs + fakeModelCpuMs) / load.durationMs > 0.9) problems.push('the load generator and the fake model used >90% of their core: the load side may be the limit');
  return problems;
}
