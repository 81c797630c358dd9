import type { FinishReason } from '../protocol/index.js';

/** The AI SDK's finish reasons as the `done` frame names them; content filters included. */
export function mapFinishReason(reason: string): FinishReason {
  switch (reason) {
    case 'stop':
    case 'length':
    case 'error':
    case 'other':
      return reason;
    case 'content-filter':
      return 'content_filter';
    case 'tool-calls':
      return 'tool_calls';
    default:
      return 'other';
  }
}
