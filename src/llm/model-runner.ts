import type { Settings } from '../config.js';
import type { WarningLogger } from '../logging/logger.js';
import type { HistoryItem } from '../protocol/index.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import { chooseAttachments, type AttachmentContent, type AttachmentLoader } from './attachment-content.js';
import { createLanguageModel } from './create-language-model.js';
import { estimateTokens } from './estimate-tokens.js';
import { fitContextBudget } from './fit-context-budget.js';
import { modelsToTry, offeredModels, providerChain, type OfferedModel } from './offered-models.js';
import { createResilientModel, type ResilientModel } from './resilient-model.js';
import { runModelTurn } from './run-model-turn.js';
import { summarizeConversation, type ConversationSummary } from './summarize.js';
import type { TurnEvent } from './turn-event.js';
import { writeSessionTitle, type SessionTitle } from './write-title.js';
import { defaultRetryPolicy, type RetryPolicy } from './with-retries.js';

export type { ConversationSummary } from './summarize.js';
export type { SessionTitle } from './write-title.js';

export const systemPrompt =
  'You are Parley, a helpful assistant in a realtime chat. Answer concisely. ' +
  'Use the calculator tool for arithmetic and the fetch_data tool to look up records; ' +
  'say when data is sample data.';

export interface TurnRequest {
  history: readonly HistoryItem[];
  /** Older turns exist than `history` holds (a long session keeps the recent ones in memory). */
  olderOmitted?: boolean;
  signal: AbortSignal;
  /** Hears which model answers each step of the turn (the turn's assistant_message names it). */
  onModel?: (modelId: string) => void;
  /** The session's pick among `models` (its id); absent or unknown: the first. */
  model?: string | undefined;
}

/**
 * What the session core needs from models: run a turn, summarize a session, and name the
 * model that answers. Everything vendor-specific stays behind this.
 */
export interface ModelRunner {
  readonly provider: string;
  readonly modelId: string;
  /** The models a session may pick (LLM_MODELS), the default first; absent: just provider/modelId. */
  readonly models?: readonly OfferedModel[];
  runTurn(request: TurnRequest): AsyncGenerator<TurnEvent>;
  /** The configured model's summary, or the extractive one when the model fails. */
  summarize(history: readonly HistoryItem[], signal?: AbortSignal): Promise<ConversationSummary>;
  /** A short title from the first exchange; absent: the extractive title (src/titles/title-writer.ts). */
  title?(history: readonly HistoryItem[], signal?: AbortSignal): Promise<SessionTitle>;
  /** For `/health` and the `session` frame: which provider and model serve (never a key). */
  describe(): { provider: string; model: string };
}

export interface ModelRunnerOptions {
  /** Hears about summaries the model failed to write. */
  logger: WarningLogger;
  /** Backoff tuning (tests shorten it); the number of retries is LLM_MAX_RETRIES. */
  retry?: Partial<Omit<RetryPolicy, 'maxRetries'>>;
  /** Loads the files user messages carry; without it the model is only told their names. */
  attachments?: AttachmentLoader;
}

/** Bytes of files one model request carries at most: the newest files first, the rest named only. */
export function attachmentBudgetBytes(settings: Pick<Settings, 'MAX_FILE_BYTES'>): number {
  return Math.max(32 * 1024 * 1024, settings.MAX_FILE_BYTES);
}

export { providerChain } from './offered-models.js';

export function createModelRunner(settings: Settings, tools: ToolRegistry, options: ModelRunnerOptions): ModelRunner {
  const resilience = {
    retry: { ...defaultRetryPolicy, ...options.retry, maxRetries: settings.LLM_MAX_RETRIES },
    firstTokenTimeoutMs: settings.LLM_FIRST_TOKEN_TIMEOUT_MS,
    idleTimeoutMs: settings.LLM_IDLE_TIMEOUT_MS,
  };
  const candidates = providerChain(settings).map((provider) => createLanguageModel(settings, provider));
  const primary = candidates[0]!;
  // Summaries and titles: the configured model, as before model choice.
  const model = createResilientModel(candidates, resilience);
  const models = offeredModels(settings);
  // A pick's model chain, built on first use: most sessions use the default.
  const picked = new Map<string, ResilientModel>();
  const modelFor = (choice: string | undefined): ResilientModel => {
    const offered = models.find((candidate) => candidate.id === choice) ?? models[0]!;
    let chain = picked.get(offered.id);
    if (!chain) {
      chain = createResilientModel(modelsToTry(settings, offered).map((each) => createLanguageModel(settings, each.provider, each.model)), resilience);
      picked.set(offered.id, chain);
    }
    return chain;
  };

  return {
    provider: primary.provider,
    modelId: primary.modelId,
    models,
    runTurn: ({ history, olderOmitted, signal, onModel, model: choice }) => {
      const budgeted = fitContextBudget(history, settings.CONTEXT_BUDGET_TOKENS, estimateTokens(systemPrompt), olderOmitted);
      const request = {
        model: modelFor(choice),
        system: budgeted.condensed === null ? systemPrompt : `${systemPrompt}\n\n${budgeted.condensed}`,
        history: budgeted.history,
        tools,
        maxSteps: settings.LLM_MAX_STEPS,
        signal,
        ...(onModel ? { onModel } : {}),
      };
      const wanted = options.attachments ? chooseAttachments(budgeted.history, attachmentBudgetBytes(settings)) : [];
      if (wanted.length === 0) return runModelTurn(request);
      return withAttachments(options.attachments!, wanted, (attachments) => runModelTurn({ ...request, attachments }));
    },
    summarize: (history, signal) => summarizeConversation({ model, history: [...history], logger: options.logger, ...(signal ? { signal } : {}) }),
    // The offline model would only extract it too, more slowly.
    title: (history, signal) =>
      writeSessionTitle({ model: primary.provider === 'offline' ? null : model, history, logger: options.logger, ...(signal ? { signal } : {}) }),
    describe: () => ({ provider: primary.provider, model: primary.modelId }),
  };
}

/** Loads the files first; a failure to load is the turn's failure, reported like the model's. */
async function* withAttachments(
  load: AttachmentLoader,
  wanted: Parameters<AttachmentLoader>[0],
  run: (attachments: ReadonlyMap<string, AttachmentContent>) => AsyncGenerator<TurnEvent>,
): AsyncGenerator<TurnEvent> {
  const contents = await load(wanted);
  yield* run(new Map(contents.map((content) => [content.file_id, content])));
}
