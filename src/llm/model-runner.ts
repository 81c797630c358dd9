import type { Settings } from '../config.js';
import type { HistoryItem } from '../protocol/index.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import { createLanguageModel, type SelectedModel } from './create-language-model.js';
import { runModelTurn } from './run-model-turn.js';
import { toModelMessages } from './to-model-messages.js';
import type { TurnEvent } from './turn-event.js';

export const systemPrompt =
  'You are Parley, a helpful assistant in a realtime chat. Answer concisely. ' +
  'Use the calculator tool for arithmetic and the fetch_data tool to look up records; ' +
  'say when data is sample data.';

export interface TurnRequest {
  history: readonly HistoryItem[];
  signal: AbortSignal;
}

/**
 * What the session core needs from models: run a turn, and name the model that answers.
 * Everything vendor-specific stays behind this.
 */
export interface ModelRunner {
  readonly provider: string;
  readonly modelId: string;
  runTurn(request: TurnRequest): AsyncGenerator<TurnEvent>;
}

export function createModelRunner(settings: Settings, tools: ToolRegistry): ModelRunner {
  const selected: SelectedModel = createLanguageModel(settings);
  return {
    provider: selected.provider,
    modelId: selected.modelId,
    runTurn: ({ history, signal }) =>
      runModelTurn({
        model: selected.model,
        system: systemPrompt,
        messages: toModelMessages(history),
        tools,
        maxSteps: settings.LLM_MAX_STEPS,
        signal,
      }),
  };
}
