import type { ModelRunner, TurnRequest } from '../../src/llm/model-runner.js';
import type { TurnEvent } from '../../src/llm/turn-event.js';
import { ParleyError } from '../../src/errors/index.js';

/**
 * A model runner that plays a script: for fault tests where the real providers' behaviour
 * is not the subject (a model failing mid-answer, a model flooding a slow client). The script
 * also sees the request, to check what the session gives the model.
 */
export function scriptedRunner(script: (signal: AbortSignal, request: TurnRequest) => AsyncGenerator<TurnEvent>): ModelRunner {
  return {
    provider: 'scripted',
    modelId: 'script',
    runTurn: (request) => script(request.signal, request),
    summarize: () => Promise.resolve({ summary: 'scripted summary', method: 'extractive' }),
    describe: () => ({ provider: 'scripted', model: 'script' }),
  };
}

export async function* failAfterTokens(tokens: string[], code: 'llm_error' | 'llm_timeout' = 'llm_error'): AsyncGenerator<TurnEvent> {
  for (const text of tokens) yield { type: 'text', text };
  throw new ParleyError(code, 'The model provider failed mid-answer.');
}

export async function* flood(pieces: number, size: number, signal: AbortSignal): AsyncGenerator<TurnEvent> {
  const piece = 'z'.repeat(size);
  for (let index = 0; index < pieces && !signal.aborted; index += 1) {
    yield { type: 'text', text: piece };
    if (index % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  yield { type: 'finish', finishReason: 'stop', usage: { promptTokens: 1, completionTokens: pieces } };
}

/** Streams until cancelled (for shutdown tests). */
export async function* endless(signal: AbortSignal): AsyncGenerator<TurnEvent> {
  while (!signal.aborted) {
    yield { type: 'text', text: 'more ' };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
