/**
 * The wire types, taken from the server's own zod schemas at build time (types only: nothing
 * of the server's code or of zod reaches the client's JavaScript).
 */
export type {
  AckFrame,
  ClientFrame,
  DoneFrame,
  ErrorFrame,
  FinishReason,
  HistoryItem,
  MessageFrame,
  PongFrame,
  ServerFrame,
  SessionFrame,
  TokenFrame,
  ToolCallFrame,
  ToolResultFrame,
  TurnStatus,
} from '../../src/protocol/index.js';
export type { ErrorCode } from '../../src/errors/error-codes.js';
