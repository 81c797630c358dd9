import { attachmentsOf } from './attachments-of.js';
import { finishReasons } from './finish-reasons.js';
import type { FinishReason, HistoryItem, TurnMeasures, TurnStatus } from './history.js';

/**
 * An event of the log as the store returns it and `GET /api/sessions/{id}/events` sends it:
 * the server and the web page rebuild the conversation from it the same way.
 */
export interface LoggedEvent {
  event_type: string;
  content: string | null;
  metadata: Record<string, unknown>;
  seq: number;
  created_at: string;
}

/** The conversation a client sees (and the model is given), rebuilt from stored events. */
export function historyFromEvents(events: readonly LoggedEvent[]): HistoryItem[] {
  const history: HistoryItem[] = [];
  for (const event of events) {
    const item = historyItemFromEvent(event);
    if (item) history.push(item);
  }
  return history;
}

export function historyItemFromEvent(event: LoggedEvent): HistoryItem | null {
  const metadata = event.metadata;
  const base = { seq: event.seq, created_at: event.created_at };
  switch (event.event_type) {
    case 'user_message': {
      const attachments = attachmentsOf(metadata);
      return {
        type: 'user_message',
        content: event.content ?? '',
        ...(typeof metadata.message_id === 'string' ? { id: metadata.message_id } : {}),
        ...(attachments.length > 0 ? { attachments } : {}),
        ...(isSeq(metadata.regenerate_of) ? { regenerate_of: metadata.regenerate_of } : {}),
        ...(isSeq(metadata.edit_of) ? { edit_of: metadata.edit_of } : {}),
        ...base,
      };
    }
    case 'assistant_message': {
      const measures = measuresOf(metadata);
      return {
        type: 'assistant_message',
        content: event.content ?? '',
        status: (metadata.status as TurnStatus | undefined) ?? 'complete',
        ...(isFinishReason(metadata.finish_reason) ? { finish_reason: metadata.finish_reason } : {}),
        ...(measures === null ? {} : { measures }),
        ...(typeof metadata.error_code === 'string' ? { error_code: metadata.error_code } : {}),
        ...(typeof metadata.error_message === 'string' ? { error_message: metadata.error_message } : {}),
        ...(typeof metadata.model === 'string' ? { model: metadata.model } : {}),
        ...base,
      };
    }
    case 'tool_call':
      return {
        type: 'tool_call',
        call_id: String(metadata.call_id),
        name: String(metadata.name),
        arguments: metadata.arguments ?? {},
        ...base,
      };
    case 'tool_result':
      return {
        type: 'tool_result',
        call_id: String(metadata.call_id),
        name: String(metadata.name),
        ...('result' in metadata ? { result: metadata.result } : {}),
        ...(typeof metadata.error === 'string' ? { error: metadata.error } : {}),
        ...(typeof metadata.duration_ms === 'number' ? { duration_ms: metadata.duration_ms } : {}),
        ...base,
      };
    default:
      return null;
  }
}

function isFinishReason(value: unknown): value is FinishReason {
  return (finishReasons as readonly unknown[]).includes(value);
}

function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isMeasure(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/**
 * What the user saw under a live answer, from its assistant_message's metadata (turn.ts
 * writes it; nulls stand for measures the turn did not have). Null when it holds none.
 */
function measuresOf(metadata: Record<string, unknown>): TurnMeasures | null {
  const measures: TurnMeasures = {
    ...(isMeasure(metadata.ttft_ms) ? { ttft_ms: metadata.ttft_ms } : {}),
    ...(isMeasure(metadata.duration_ms) ? { duration_ms: metadata.duration_ms } : {}),
    ...(isMeasure(metadata.prompt_tokens) && Number.isInteger(metadata.prompt_tokens) ? { prompt_tokens: metadata.prompt_tokens } : {}),
    ...(isMeasure(metadata.completion_tokens) && Number.isInteger(metadata.completion_tokens) ? { completion_tokens: metadata.completion_tokens } : {}),
  };
  if (Object.keys(measures).length === 0) return null;
  return metadata.usage_estimated === true ? { ...measures, estimated: true } : measures;
}
