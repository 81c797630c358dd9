import { generateText, type LanguageModel } from 'ai';
import type { WarningLogger } from '../logging/logger.js';
import type { HistoryItem } from '../protocol/index.js';
import { cutText } from '../text/cut-text.js';
import { emptyConversationSummary, extractiveSummary } from './summarize-extractive.js';
import { buildSummaryRequest, summarySystemPrompt } from './summarize-prompt.js';
import { formatTranscript, toTranscriptEntries } from './summarize-transcript.js';

export { extractiveSummary } from './summarize-extractive.js';
export { summaryInstruction } from './summarize-prompt.js';

export interface SummaryRequest {
  model: LanguageModel;
  history: readonly HistoryItem[];
  signal?: AbortSignal;
  /** Upper bound for the model call; past it the extractive summary is used. */
  timeoutMs?: number;
  /** Hears why the model's summary was not used. */
  logger: WarningLogger;
}

/** A session's summary and how it was written: by the model, or extracted when the model failed. */
export interface ConversationSummary {
  summary: string;
  method: 'model' | 'extractive';
}

const defaultTimeoutMs = 30_000;
const maxSummaryCharacters = 2_000;

/**
 * A session's summary, written by the model in one call. A session must always get a summary,
 * so any failure (network, refusal, empty text, timeout) falls back to the extractive one.
 */
export async function summarizeConversation(request: SummaryRequest): Promise<ConversationSummary> {
  const entries = toTranscriptEntries(request.history);
  if (!entries.some((entry) => entry.role === 'user' || entry.role === 'assistant')) {
    return { summary: emptyConversationSummary, method: 'extractive' };
  }
  const timeout = AbortSignal.timeout(request.timeoutMs ?? defaultTimeoutMs);
  try {
    const result = await generateText({
      model: request.model,
      system: summarySystemPrompt,
      prompt: buildSummaryRequest(formatTranscript(entries)),
      maxRetries: 1,
      abortSignal: request.signal ? AbortSignal.any([request.signal, timeout]) : timeout,
    });
    const summary = result.text.trim();
    if (summary.length > 0) return { summary: cutText(summary, maxSummaryCharacters), method: 'model' };
    request.logger.warn({ finishReason: result.finishReason }, 'summary model gave no text; using the extractive summary');
  } catch (error) {
    request.logger.warn({ err: error }, 'summary model failed; using the extractive summary');
  }
  return { summary: extractiveSummary(request.history), method: 'extractive' };
}
