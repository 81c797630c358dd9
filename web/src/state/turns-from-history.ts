import { activeHistory } from '../../../src/protocol/active-history.js';
import type { HistoryItem } from '../../../src/protocol/index.js';
import type { ChatTurn, TurnMeasures } from './chat-state.js';

/**
 * Rebuilds completed turns from a `session` frame's history (or events read through the API),
 * as they looked live: the active branch only, each answer with its badge, error and measures.
 * A turn's answer text comes last (one `assistant_message` per turn), after its tool cards.
 */
export function turnsFromHistory(history: readonly HistoryItem[]): ChatTurn[] {
  const turns: ChatTurn[] = [];
  let current: ChatTurn | undefined;
  const startTurn = (key: string): ChatTurn => {
    // A turn without its assistant_message was cut short (a crash, a failed write).
    current = { key, user: null, parts: [], status: 'interrupted' };
    turns.push(current);
    return current;
  };
  for (const item of activeHistory(history)) {
    switch (item.type) {
      case 'user_message': {
        const turn = startTurn(`seq-${item.seq}`);
        turn.user = {
          content: item.content,
          seq: item.seq,
          state: 'stored',
          ...(item.id === undefined ? {} : { id: item.id }),
          ...(item.attachments?.length ? { attachments: item.attachments } : {}),
        };
        break;
      }
      case 'tool_call': {
        const turn = current ?? startTurn(`seq-${item.seq}`);
        turn.parts.push({ kind: 'tool', callId: item.call_id, name: item.name, arguments: item.arguments, finished: false });
        break;
      }
      case 'tool_result': {
        const turn = current ?? startTurn(`seq-${item.seq}`);
        const part = turn.parts.find((candidate) => candidate.kind === 'tool' && candidate.callId === item.call_id);
        const outcome = {
          finished: true,
          ...('result' in item ? { result: item.result } : {}),
          ...(item.error === undefined ? {} : { error: item.error }),
          ...(item.duration_ms === undefined ? {} : { durationMs: item.duration_ms }),
        };
        if (part?.kind === 'tool') Object.assign(part, outcome);
        else turn.parts.push({ kind: 'tool', callId: item.call_id, name: item.name, arguments: {}, ...outcome });
        break;
      }
      case 'assistant_message': {
        const turn = current ?? startTurn(`seq-${item.seq}`);
        if (item.content.length > 0) turn.parts.push({ kind: 'text', content: item.content });
        turn.status = item.status;
        const measures = measuresOf(item);
        if (measures) turn.measures = measures;
        if (item.error_code !== undefined) turn.error = { code: item.error_code, message: item.error_message ?? '', past: true };
        if (item.model !== undefined) turn.model = item.model;
        for (const part of turn.parts) if (part.kind === 'tool') part.finished = true;
        current = undefined;
        break;
      }
    }
  }
  return turns;
}

/** The highest seq in a history, -1 when empty. */
export function lastSeqOf(history: readonly HistoryItem[]): number {
  return history.reduce((highest, item) => Math.max(highest, item.seq), -1);
}

/** The measures a live `done` frame gave, as the answer's stored event keeps them. */
function measuresOf(item: Extract<HistoryItem, { type: 'assistant_message' }>): TurnMeasures | null {
  const stored = item.measures;
  if (stored === undefined && item.finish_reason === undefined) return null;
  return {
    ...(item.finish_reason === undefined ? {} : { finishReason: item.finish_reason }),
    ...(stored?.ttft_ms === undefined ? {} : { ttftMs: stored.ttft_ms }),
    ...(stored?.duration_ms === undefined ? {} : { durationMs: stored.duration_ms }),
    ...(stored?.prompt_tokens === undefined ? {} : { promptTokens: stored.prompt_tokens }),
    ...(stored?.completion_tokens === undefined ? {} : { completionTokens: stored.completion_tokens }),
  };
}
