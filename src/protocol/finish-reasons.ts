/**
 * Why a turn ends: the `done` frame's `finish_reason`. Plain data apart from the zod schemas,
 * so the web page, which rebuilds history (history-from-events.ts), does not load zod.
 */
export const finishReasons = ['stop', 'length', 'content_filter', 'tool_calls', 'cancelled', 'interrupted', 'error', 'other'] as const;
