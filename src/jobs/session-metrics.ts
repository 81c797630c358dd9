import { percentile } from '../stats/percentile.js';
import type { SessionRow, StoredEvent } from '../store/types.js';

export interface SessionMetrics {
  duration_seconds: number;
  message_count: number;
  user_messages: number;
  assistant_messages: number;
  turns: number;
  turns_by_status: Record<string, number>;
  tool_calls: number;
  tool_errors: number;
  prompt_tokens: number;
  completion_tokens: number;
  tokens_estimated: boolean;
  ttft_ms_mean: number | null;
  ttft_ms_p95: number | null;
}

/** The figures written on a session when it ends; pure, from its row and events. */
export function computeSessionMetrics(session: SessionRow, events: readonly StoredEvent[], endedAt: Date): SessionMetrics {
  let userMessages = 0;
  let toolCalls = 0;
  let toolErrors = 0;
  let promptTokens = 0;
  let completionTokens = 0;
  let tokensEstimated = false;
  const ttfts: number[] = [];
  const turnsByStatus: Record<string, number> = {};
  const assistant = events.filter((event) => event.event_type === 'assistant_message');

  for (const event of events) {
    if (event.event_type === 'user_message') userMessages += 1;
    if (event.event_type === 'tool_call') toolCalls += 1;
    if (event.event_type === 'tool_result' && typeof event.metadata.error === 'string') toolErrors += 1;
  }
  for (const event of assistant) {
    const metadata = event.metadata;
    const status = typeof metadata.status === 'string' ? metadata.status : 'complete';
    turnsByStatus[status] = (turnsByStatus[status] ?? 0) + 1;
    if (typeof metadata.prompt_tokens === 'number') promptTokens += metadata.prompt_tokens;
    if (typeof metadata.completion_tokens === 'number') completionTokens += metadata.completion_tokens;
    if (metadata.usage_estimated === true) tokensEstimated = true;
    if (typeof metadata.ttft_ms === 'number') ttfts.push(metadata.ttft_ms);
  }

  const startedAt = Date.parse(session.start_time);
  return {
    duration_seconds: Math.max(0, Math.round((endedAt.getTime() - startedAt) / 100) / 10),
    message_count: userMessages + assistant.length,
    user_messages: userMessages,
    assistant_messages: assistant.length,
    turns: assistant.length,
    turns_by_status: turnsByStatus,
    tool_calls: toolCalls,
    tool_errors: toolErrors,
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    tokens_estimated: tokensEstimated,
    ttft_ms_mean: ttfts.length === 0 ? null : round(ttfts.reduce((sum, value) => sum + value, 0) / ttfts.length),
    ttft_ms_p95: ttfts.length === 0 ? null : round(percentile(ttfts, 0.95)),
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
