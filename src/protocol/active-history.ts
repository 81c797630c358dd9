import type { HistoryItem } from './history.js';

/** The seq of the earlier user message a regenerated or edited one replaces, if it replaces one. */
export function replacedSeqOf(item: HistoryItem): number | undefined {
  if (item.type !== 'user_message') return undefined;
  return item.regenerate_of ?? item.edit_of;
}

/**
 * The conversation's active branch: what the model is given and what a client shows. The event
 * log only grows, so a regenerated or edited message (`regenerate_of` / `edit_of` a seq) is a
 * new `user_message` that replaces the message it names and every item after it, as a branch
 * does in ChatGPT: the newest branch wins and the replaced answers are never the model's again.
 *
 * The cut is at the first item kept so far whose seq is at least the named one, so it needs
 * no item to be present: a window of the log that starts after the named message loses
 * everything before the new one, and a message named again after an earlier edit replaced it
 * cuts where it stood. Items come in seq order; the same list comes back when nothing is replaced.
 */
export function activeHistory<T extends HistoryItem>(items: readonly T[]): T[] {
  const active: T[] = [];
  for (const item of items) {
    const replaced = replacedSeqOf(item);
    if (replaced !== undefined) {
      const cut = active.findIndex((kept) => kept.seq >= replaced);
      if (cut >= 0) active.length = cut;
    }
    active.push(item);
  }
  return active;
}
