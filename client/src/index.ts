import { ParleyClient, type ConnectOptions } from './parley-client.js';

/** Opens a session (created when the id is new, resumed when known) and keeps it connected until `close()`. */
export function connect(sessionId: string, options: ConnectOptions): ParleyClient {
  const client = new ParleyClient(sessionId, options);
  client.start();
  return client;
}

export { ParleyClient } from './parley-client.js';
export type { ClientEvents, ConnectionState, ConnectOptions, Refusal, RetryPlan, SendOptions } from './parley-client.js';
export { ParleyClientError, type ParleyErrorCode } from './client-error.js';
export { Turn, type TurnEnd, type TurnFrame } from './turn.js';
export { randomId } from './random-id.js';
export { reconnectDelay } from './reconnect-delay.js';
export type { WebSocketConstructor, WebSocketLike } from './websocket-like.js';
export type * from './frames.js';
