import { generateText, type LanguageModel } from 'ai';
import type { WarningLogger } from '../logging/logger.js';
import type { HistoryItem } from '../protocol/index.js';
import { formatTranscript, toTranscriptEntries } from './summarize-transcript.js';
import { buildTitleRequest, titleSystemPrompt } from './title-prompt.js';
import { cleanModelTitle, extractiveTitle } from './title-text.js';

export interface TitleRequest {
  /** Null: no model is asked (the offline model), the title is extracted. */
  model: LanguageModel | null;
  history: readonly HistoryItem[];
  signal?: AbortSignal;
  /** Upper bound for the model call; past it the extractive title is used. */
  timeoutMs?: number;
  /** Hears why the model's title was not used. */
  logger: WarningLogger;
}

/** A session's title and how it was written: by the model, or extracted from the first message. */
export interface SessionTitle {
  title: string;
  method: 'model' | 'extractive';
}

const defaultTimeoutMs = 15_000;
/** The first exchange names a conversation; a long one is cut to this much transcript. */
const maxTranscriptCharacters = 3_000;

/**
 * A title for a session from its first exchange, written by the model in one call. Every
 * session that had a turn gets one, so any failure (network, refusal, empty or unusable text,
 * timeout) falls back to the extractive title of the first user message.
 */
export async function writeSessionTitle(request: TitleRequest): Promise<SessionTitle> {
  const firstExchange = request.history.slice(0, firstAnswerEnd(request.history));
  const firstMessage = firstExchange.find((item) => item.type === 'user_message')?.content ?? '';
  const extracted: SessionTitle = { title: extractiveTitle(firstMessage), method: 'extractive' };
  if (request.model === null || firstMessage.trim() === '') return extracted;
  const timeout = AbortSignal.timeout(request.timeoutMs ?? defaultTimeoutMs);
  try {
    const result = await generateText({
      model: request.model,
      system: titleSystemPrompt,
      prompt: buildTitleRequest(formatTranscript(toTranscriptEntries(firstExchange), maxTranscriptCharacters)),
      maxRetries: 1,
      abortSignal: request.signal ? AbortSignal.any([request.signal, timeout]) : timeout,
    });
    const title = cleanModelTitle(result.text);
    if (title !== null) return { title, method: 'model' };
    request.logger.warn({ finishReason: result.finishReason }, 'title model gave no usable text; using the extractive title');
  } catch (error) {
    request.logger.warn({ err: error }, 'title model failed; using the extractive title');
  }
  return extracted;
}

/** Where the first answer ends: everything up to the first assistant message (all when none). */
function firstAnswerEnd(history: readonly HistoryItem[]): number {
  const index = history.findIndex((item) => item.type === 'assistant_message');
  return index < 0 ? history.length : index + 1;
}
