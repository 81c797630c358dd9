import type { ChatTurn, OlderTurns } from '../state/chat-state.js';

/**
 * Where a search hit's `seq` is in the conversation shown: the turn holding it (named by the
 * seq of its user message, the last one at or before `seq`), `load-older` while it is in
 * turns not read yet, `wait` while they are being read, null when no turn can hold it.
 */
export function turnForSeq(turns: readonly ChatTurn[], seq: number, olderTurns: OlderTurns): number | 'load-older' | 'wait' | null {
  const starts = turns.flatMap((turn) => (turn.user?.seq === undefined ? [] : [turn.user.seq]));
  const oldest = starts[0];
  if (oldest === undefined || seq < oldest) {
    if (olderTurns === 'more') return 'load-older';
    if (olderTurns === 'loading') return 'wait';
    return oldest ?? null;
  }
  return starts.filter((start) => start <= seq).at(-1) ?? null;
}
