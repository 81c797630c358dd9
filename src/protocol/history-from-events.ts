import { attachmentsOf } from './attachments-of.js';
import type { HistoryItem, TurnStatus } from './history.js';

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
        ...base,
      };
    }
    case 'assistant_message':
      return {
        type: 'assistant_message',
        content: event.content ?? '',
        status: (metadata.status as TurnStatus | undefined) ?? 'complete',
        ...(typeof metadata.model === 'string' ? { model: metadata.model } : {}),
        ...base,
      };
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
