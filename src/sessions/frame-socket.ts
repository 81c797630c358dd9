/**
 * What a session sends frames to: the part of a `ws` WebSocket it uses. A WebSocket is one;
 * so is an HTTP event stream (src/aichat/) that turns frames into its own wire format.
 */
export interface FrameSocket {
  readonly readyState: number;
  readonly OPEN: number;
  /** Bytes sent but not yet handed to the network: backpressure reads it. */
  readonly bufferedAmount: number;
  send(serialized: string): void;
  close(code: number, reason: string): void;
}
