/**
 * What the client needs of a WebSocket: the browser's and the `ws` package's both fit. The
 * handlers are declared as methods so that either's own event types are accepted.
 */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: { handle(event: unknown): void }['handle'] | null;
  onmessage: { handle(event: { data: unknown }): void }['handle'] | null;
  onclose: { handle(event: { code: number; reason: string }): void }['handle'] | null;
  onerror: { handle(event: unknown): void }['handle'] | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** WebSocket's readyState when frames can be sent. */
export const openState = 1;
