import type { FinishReason } from '../protocol/index.js';

/**
 * What one model turn produces, vendor-neutral: the session core consumes these and never
 * sees AI SDK types (STYLE.md 3).
 */
export type TurnEvent =
  | { type: 'text'; text: string }
  | { type: 'tool_call'; callId: string; name: string; arguments: Record<string, unknown> }
  | {
      type: 'tool_result';
      callId: string;
      name: string;
      result?: unknown;
      error?: string;
      durationMs: number;
    }
  | { type: 'finish'; finishReason: FinishReason; usage: TurnUsage };

export interface TurnUsage {
  promptTokens?: number;
  completionTokens?: number;
  /** True when the provider gave no figures (a cancelled turn) and these are estimates. */
  estimated?: boolean;
}
