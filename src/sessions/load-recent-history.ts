import { historyFromEvents, type HistoryItem } from '../protocol/index.js';
import type { SessionStore } from '../store/types.js';
import { historyWindowStart, type HistoryLimits } from './history-window.js';

/** Events read per round trip, newest first: one page for most sessions, two or three for long ones. */
const pageEvents = 500;

export interface RecentHistory {
  /** What the session keeps in memory: whole turns, oldest first. */
  history: HistoryItem[];
  /** The highest seq among the stored events (0 when there are none). */
  lastSeq: number;
  /** The log holds events older than `history`. */
  olderHistory: boolean;
  /** The log holds any event of this session. */
  existed: boolean;
}

/**
 * A session's recent conversation from its log: pages of events read backwards until they
 * hold what the session keeps (history-window.ts), so a session of 5,000 turns reads a few
 * hundred events, not all of them.
 */
export async function loadRecentHistory(store: Pick<SessionStore, 'listEvents'>, sessionId: string, limits: HistoryLimits): Promise<RecentHistory> {
  let page = await store.listEvents(sessionId, { limit: pageEvents, before: Number.MAX_SAFE_INTEGER });
  const lastSeq = page.events.at(-1)?.seq ?? 0;
  const existed = page.events.length > 0;
  let history = historyFromEvents(page.events);
  for (;;) {
    const start = historyWindowStart(history, limits);
    if (start !== null) return { history: history.slice(start), lastSeq, olderHistory: start > 0 || page.next_cursor !== null, existed };
    if (page.next_cursor === null) return { history, lastSeq, olderHistory: false, existed };
    page = await store.listEvents(sessionId, { limit: pageEvents, cursor: page.next_cursor });
    history = [...historyFromEvents(page.events), ...history];
  }
}
