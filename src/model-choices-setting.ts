import { z } from 'zod';
import { commaList } from './setting-values.js';

export const providerNames = ['gemini', 'openai', 'offline'] as const;
export type ModelProvider = (typeof providerNames)[number];

/** One model a user may pick for a session (LLM_MODELS): a provider and its model name. */
export interface ModelChoice {
  provider: ModelProvider;
  model: string;
}

/** How a choice is named on the wire and in the database: `provider:model`. */
export function modelChoiceId(choice: ModelChoice): string {
  return `${choice.provider}:${choice.model}`;
}

/**
 * LLM_MODELS: `provider:model` entries, comma-separated (`openai:gpt-4o-mini,gemini:gemini-2.0-flash`).
 * The model name is everything after the first colon (Ollama's `llama3.2:3b` keeps its tag).
 * Repeats count once; the first entry is a new session's model. A problem is one sentence.
 */
export function parseModelChoices(text: string): { choices: ModelChoice[] } | { problem: string } {
  const choices: ModelChoice[] = [];
  for (const entry of commaList(text)) {
    const colon = entry.indexOf(':');
    const provider = colon < 0 ? entry : entry.slice(0, colon).trim();
    const model = colon < 0 ? '' : entry.slice(colon + 1).trim();
    if (!(providerNames as readonly string[]).includes(provider)) {
      return { problem: `"${entry}" does not start with a provider; use provider:model with gemini, openai or offline` };
    }
    if (model === '' || /\s/.test(model)) return { problem: `"${entry}" needs a model name without spaces after the colon` };
    const choice = { provider: provider as ModelProvider, model };
    if (!choices.some((known) => modelChoiceId(known) === modelChoiceId(choice))) choices.push(choice);
  }
  if (choices.length === 0) return { problem: 'list at least one provider:model, or leave it unset' };
  return { choices };
}

/** The LLM_MODELS setting: undefined when unset (the configured model and LLM_FALLBACK's are offered). */
export const modelChoicesSetting = z
  .string()
  .trim()
  .optional()
  .transform((value, context) => {
    if (value === undefined || value === '') return undefined;
    const parsed = parseModelChoices(value);
    if ('problem' in parsed) {
      context.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }
    return parsed.choices;
  });
