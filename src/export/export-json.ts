import type { HistoryItem } from '../protocol/index.js';
import type { SessionRow } from '../store/types.js';

/**
 * A session as JSON, written in pieces so an export of any length never sits whole in memory:
 * `{"session": ..., "exported_at": ..., "conversation": [items...]}`. The items are the
 * protocol's history items (the `session` frame's `history`): messages, tool calls and
 * results, with statuses, seqs and times.
 */
export function jsonOpening(session: SessionRow, exportedAt: Date): string {
  const { created_at: _created, updated_at: _updated, ...visible } = session;
  return `{"session":${JSON.stringify(visible)},"exported_at":${JSON.stringify(exportedAt.toISOString())},"conversation":[`;
}

export function jsonItem(item: HistoryItem, first: boolean): string {
  return `${first ? '' : ','}\n${JSON.stringify(item)}`;
}

export const jsonClosing = '\n]}\n';
