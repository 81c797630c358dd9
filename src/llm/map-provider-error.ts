import { APICallError } from '@ai-sdk/provider';
import { ParleyError } from '../errors/index.js';
import { cutText } from '../text/cut-text.js';
import { isRecord } from './is-record.js';

/** Which model a failure came from, to name it and its settings in the message. */
export interface ProviderLabel {
  provider: string;
  modelId: string;
}

/** A provider failure as Parley sees it: the error to report and whether trying again may help. */
export interface ProviderFailure {
  error: ParleyError;
  retryable: boolean;
  /** What the provider asked us to wait (Retry-After / retry-after-ms), when it said. */
  retryAfterMs?: number;
}

/** Thrown (as cause) when the model did not start or went quiet within its time limit. */
export class ModelTimeoutError extends Error {
  override name = 'ModelTimeoutError';
  constructor(readonly phase: 'first-token' | 'idle', readonly timeoutMs: number) {
    super(`${phase === 'first-token' ? 'no answer' : 'no new output'} within ${timeoutMs} ms`);
  }
}

const settingPrefix: Record<string, string> = { gemini: 'GEMINI', openai: 'OPENAI' };

/**
 * Maps anything a provider call throws to a ParleyError whose message says what to do,
 * and classifies it for the retry loop. Every provider's HTTP failures arrive as the AI
 * SDK's APICallError (Gemini's from the SDK, OpenAI-compatible ones from
 * openai/openai-call-errors.ts), whose `isRetryable` says whether to try again. Branches on
 * HTTP status and error classes, never on the provider's wording, except Gemini's bad-key
 * answer, which is a 400 recognisable only by its reason `API_KEY_INVALID`.
 */
export function classifyProviderError(error: unknown, label: ProviderLabel): ProviderFailure {
  if (error instanceof ParleyError) return { error, retryable: false };
  const name = describeModel(label);
  const prefix = settingPrefix[label.provider] ?? label.provider.toUpperCase();

  if (error instanceof ModelTimeoutError) {
    const what = error.phase === 'first-token' ? `did not start answering within ${error.timeoutMs} ms` : `stopped sending for ${error.timeoutMs} ms mid-answer`;
    return {
      error: new ParleyError('llm_timeout', `${name} ${what}; try again (LLM_FIRST_TOKEN_TIMEOUT_MS and LLM_IDLE_TIMEOUT_MS set the limits).`, { cause: error }),
      retryable: error.phase === 'first-token',
    };
  }

  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    const detail = providerMessage(error);
    if (status === 401 || status === 403 || (status === 400 && error.responseBody?.includes('API_KEY_INVALID'))) {
      return {
        error: new ParleyError('llm_auth', `${name} refused the API key (HTTP ${status}${detail}): set a valid ${prefix}_API_KEY.`, { cause: error }),
        retryable: false,
      };
    }
    if (status === 404) {
      return {
        error: new ParleyError(
          'llm_unknown_model',
          `${name} was not found (HTTP 404${detail}): check ${prefix}_MODEL${label.provider === 'openai' ? ' and that OPENAI_BASE_URL ends in /v1' : ''}.`,
          { cause: error },
        ),
        retryable: false,
      };
    }
    if (status === 429) {
      const retryAfterMs = retryAfterFrom(error.responseHeaders);
      return {
        error: new ParleyError('rate_limited', `${name} is rate limiting requests (HTTP 429${detail}): wait a minute and try again, or raise the quota.`, { cause: error }),
        retryable: true,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      };
    }
    if (status === undefined || (status >= 200 && status < 300)) {
      return {
        error: new ParleyError('llm_error', `Could not reach ${name} or the connection broke (${error.message}): check ${prefix}_BASE_URL and the network.`, { cause: error }),
        // A 2xx whose body could not be read (empty, cut off) broke like a connection does,
        // though APICallError's own rule retries only failed statuses.
        retryable: status === undefined ? error.isRetryable : true,
      };
    }
    return {
      error: new ParleyError('llm_error', `${name} failed (HTTP ${status}${detail}); try again later.`, { cause: error }),
      retryable: error.isRetryable,
    };
  }

  const message = error instanceof Error ? error.message : String(error);
  return {
    error: new ParleyError('llm_error', `${name} failed: ${message}; try again.`, { cause: error }),
    retryable: false,
  };
}

/** A failure once part of the answer was delivered: never retried, so never a replay. */
export function answerBrokeOff(error: unknown, label: ProviderLabel): ParleyError {
  const failure = classifyProviderError(error, label);
  if (failure.error.code !== 'llm_error') return failure.error;
  const message = error instanceof Error ? error.message : String(error);
  return new ParleyError('llm_error', `${describeModel(label)} broke off its answer (${message}); the partial answer is kept, ask again to continue.`, { cause: error });
}

export function describeModel(label: ProviderLabel): string {
  const vendor = label.provider === 'gemini' ? 'Gemini' : label.provider === 'openai' ? 'The OpenAI-compatible server' : `The ${label.provider} model`;
  return `${vendor} (model ${label.modelId})`;
}

function providerMessage(error: APICallError): string {
  const text = providerErrorMessage(error.data);
  return text ? `: ${cutText(text, 200)}` : '';
}

/**
 * The message in a provider's error body: `{"error": {"message": ...}}` (OpenAI, Gemini and
 * most servers) or `{"error": "..."}` (Ollama).
 */
export function providerErrorMessage(data: unknown): string | undefined {
  const error = isRecord(data) ? data.error : undefined;
  if (typeof error === 'string') return error;
  return isRecord(error) && typeof error.message === 'string' ? error.message : undefined;
}

/** `retry-after-ms` (OpenAI) or `Retry-After` in seconds or as an HTTP date. */
export function retryAfterFrom(headers: Record<string, string> | undefined): number | undefined {
  if (!headers) return undefined;
  const milliseconds = Number.parseFloat(headers['retry-after-ms'] ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const value = headers['retry-after'];
  if (value === undefined) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
