/**
 * What the fake model answers, shared by the fake, the relay and the load generator. The
 * model name carries the pacing (`fake-t200-d20-f0`: 200 tokens, 20 ms apart, first after
 * 0 ms), so one fake process serves every scenario and the server under test reaches it
 * through its ordinary OPENAI_MODEL setting.
 */
export interface AnswerPacing {
  tokens: number;
  delayMs: number;
  firstTokenMs: number;
}

export function modelName(pacing: AnswerPacing): string {
  return `fake-t${pacing.tokens}-d${pacing.delayMs}-f${pacing.firstTokenMs}`;
}

export function pacingFromModel(model: unknown, fallback: AnswerPacing): AnswerPacing {
  const match = typeof model === 'string' ? /^fake-t(\d+)-d(\d+)-f(\d+)$/.exec(model) : null;
  if (!match) return fallback;
  return { tokens: Number(match[1]), delayMs: Number(match[2]), firstTokenMs: Number(match[3]) };
}

/**
 * A message may carry its own pacing (`[pace t20 d0 f0]`): the benchmark's warm-up turns
 * use it to run fast on a server started for a slow scenario.
 */
export function paceDirective(pacing: AnswerPacing): string {
  return `[pace t${pacing.tokens} d${pacing.delayMs} f${pacing.firstTokenMs}]`;
}

export function pacingFromText(text: string): AnswerPacing | null {
  const match = /\[pace t(\d+) d(\d+) f(\d+)\]/.exec(text);
  return match ? { tokens: Number(match[1]), delayMs: Number(match[2]), firstTokenMs: Number(match[3]) } : null;
}

/** Token `index` of every answer: deterministic, so the load generator knows the whole text. */
export function answerToken(index: number): string {
  return `tok${index} `;
}

const answers = new Map<number, string>();

export function expectedAnswer(tokens: number): string {
  let answer = answers.get(tokens);
  if (answer === undefined) {
    answer = Array.from({ length: tokens }, (_, index) => answerToken(index)).join('');
    answers.set(tokens, answer);
  }
  return answer;
}
