import type {} from '@fastify/websocket';
import type { FastifyPluginAsync } from 'fastify';
import type { RawData } from 'ws';
import { millisecondsUntilExpiry } from '../auth/token-expiry.js';
import { ParleyError, isParleyError, toParleyError } from '../errors/index.js';
import { clientFrameSchema, sessionIdSchema, toStorableText, type ClientFrame } from '../protocol/index.js';
import { quotaAccountOf } from '../quotas/quota-account.js';
import type { SessionConnection } from '../sessions/session-connection.js';
import type { SessionHub } from '../sessions/session-hub.js';
import { hasRoomFor } from '../sessions/subscriber.js';
import type { SessionStore } from '../store/types.js';
import { principalOf } from './access-hook.js';
import { attachAsPrincipal } from './attach-as-principal.js';
import { afterMilliseconds } from './after-milliseconds.js';
import { BadFrameBudget } from './bad-frame-budget.js';
import type { Metrics } from './metrics-registry.js';
import { readUserIdParam } from './user-id-param.js';
import { afterParamSchema } from './websocket-query.js';

export interface WebSocketRouteOptions {
  hub: SessionHub;
  store: Pick<SessionStore, 'getSession'>;
  maxFrameBytes: number;
  /** Unread bytes past which a socket is closed (WS_BUFFER_HARD_BYTES), also before it is attached. */
  hardBufferBytes: number;
  metrics: Metrics;
  /** AUTH_CLOCK_SKEW_S in milliseconds: a token accepted that late is also kept that long. */
  expiryGraceMs: number;
}

/** Refused frames a socket may send at once, and per second after that. */
const badFrameBurst = 20;
const badFramesPerSecond = 1;
/**
 * Frames waiting for the one before them (a message waits for its ack): past this many the
 * socket stops being read until they are handled, so a client cannot queue work without bound.
 */
const maxWaitingFrames = 64;
const anotherUsersSession = () => new ParleyError('forbidden', 'This session belongs to another user.');
const tokenExpired = () =>
  new ParleyError('unauthorized', 'The token has expired: reconnect with a fresh token, and with after=<last seq> to resume.');

/**
 * `/ws/session/{session_id}`: parses frames (bad ones get an `error` frame, the socket stays
 * open) and hands good ones to the session, in arrival order. Frames that arrive while the
 * session is still loading wait; none are dropped. Everything sent to the socket, error
 * frames and pongs included, goes through its buffer limit, and a socket that sends bad
 * frames past its budget is closed (1008 `bad_frame`).
 */
export const websocketRoute: FastifyPluginAsync<WebSocketRouteOptions> = async (app, { hub, store, maxFrameBytes, hardBufferBytes, metrics, expiryGraceMs }) => {
  app.get<{ Params: { sessionId: string }; Querystring: { user_id?: unknown; after?: string; token?: string } }>(
    '/ws/session/:sessionId',
    // Upgrades have their own per-address limit (connection-rate-limit.ts), not the HTTP one.
    { websocket: true, schema: { hide: true }, config: { rateLimit: false } },
    (socket, request) => {
      let attachment: SessionConnection | null = null;
      const close = (code: number, reason: string) => {
        // A socket paused for its waiting frames must be read again to take the client's close.
        socket.resume();
        if (attachment) attachment.close(code, reason);
        else socket.close(code, reason);
      };
      const closeSlow = () => {
        metrics.slowConsumers.inc();
        close(1008, 'slow_consumer');
      };
      const send = (serialized: string) => {
        if (attachment) return attachment.send(serialized);
        if (socket.readyState !== socket.OPEN) return;
        if (!hasRoomFor(socket, serialized.length, hardBufferBytes)) return closeSlow();
        socket.send(serialized);
      };
      const sendError = (error: ParleyError) => {
        metrics.frameErrors.inc({ code: error.code });
        send(JSON.stringify(error.toFrame()));
      };
      if (request.accessRefusal !== null) {
        sendError(request.accessRefusal);
        socket.close(1008, request.accessRefusal.code);
        return;
      }
      const principal = principalOf(request);
      const account = quotaAccountOf(principal, request.ip);
      const sessionId = sessionIdSchema.safeParse(request.params.sessionId);
      const after = parseAfter(request.query.after);
      const userIdParam = readUserIdParam(request.query.user_id);
      if (!sessionId.success || after === null || userIdParam.problem !== undefined) {
        sendError(new ParleyError('bad_request', !sessionId.success
          ? 'session_id must be 1-128 characters of A-Z a-z 0-9 . _ -'
          : after === null ? 'after must be a non-negative integer' : (userIdParam.problem ?? '')));
        socket.close(1008, 'bad_request');
        return;
      }
      if (hub.closing) {
        sendError(new ParleyError('shutting_down', 'The server is shutting down; reconnect shortly.'));
        socket.close(1001, 'shutting_down');
        return;
      }

      metrics.connections.inc();
      let chain: Promise<void> = Promise.resolve();
      const budget = new BadFrameBudget(badFrameBurst, badFramesPerSecond);
      let waitingFrames = 0;

      // Protocol-level pings are answered here rather than by ws, so their pongs count against the buffer limit too.
      socket.on('ping', (data: Buffer) => {
        if (socket.readyState !== socket.OPEN) return;
        if (!hasRoomFor(socket, data.length + 2, hardBufferBytes)) return closeSlow();
        socket.pong(data);
      });

      // CONTRACT.md: once the token expires, the turn in progress finishes (a cancel still
      // works), then the socket gets `unauthorized` and 1008; a new message does not wait.
      let expired = false;
      const closeExpired = () => {
        sendError(tokenExpired());
        close(1008, 'unauthorized');
      };
      const untilExpiry = millisecondsUntilExpiry(principal);
      const cancelExpiry =
        untilExpiry === undefined
          ? () => undefined
          : afterMilliseconds(untilExpiry + expiryGraceMs, () => {
              expired = true;
              void chain.then(async () => {
                await attachment?.whenIdle();
                closeExpired();
              });
            });

      // Registered before the (async) attach so that early frames queue instead of vanishing.
      socket.on('message', (data: RawData, isBinary: boolean) => {
        // After a close, frames still arrive until the client answers it: they are not read.
        if (socket.readyState !== socket.OPEN) return;
        const frame = parseFrame(data, isBinary, maxFrameBytes);
        if (frame instanceof ParleyError && !budget.spend()) {
          metrics.badFrameCloses.inc();
          sendError(new ParleyError('bad_frame', 'Too many bad frames; the connection is closed.'));
          close(1008, 'bad_frame');
          return;
        }
        if (expired && !(frame instanceof ParleyError) && frame.type === 'message') return closeExpired();
        waitingFrames += 1;
        if (waitingFrames > maxWaitingFrames) socket.pause();
        chain = chain.then(async () => {
          waitingFrames -= 1;
          if (socket.isPaused && waitingFrames <= maxWaitingFrames / 4) socket.resume();
          if (frame instanceof ParleyError) return sendError(frame);
          if (!attachment) return;
          try {
            await hub.handle(attachment, frame, account);
          } catch (error) {
            request.log.error({ err: error }, 'frame handling failed');
            sendError(toParleyError(error));
          }
        });
      });
      socket.on('close', () => {
        cancelExpiry();
        metrics.connections.dec();
        chain = chain.then(() => {
          if (attachment) hub.detach(attachment);
          attachment = null;
        });
      });

      chain = attachAsPrincipal(hub, store, {
        sessionId: sessionId.data,
        principal,
        requestedUserId: userIdParam.userId ?? undefined,
        socket,
        after,
        refusal: anotherUsersSession,
      })
        .then((attached) => {
          if (socket.readyState !== socket.OPEN) return hub.detach(attached);
          attachment = attached;
        })
        .catch((error: unknown) => {
          if (isParleyError(error) && error.code === 'forbidden') {
            sendError(error);
            socket.close(1008, error.code);
            return;
          }
          request.log.error({ err: error, sessionId: sessionId.data }, 'session attach failed');
          sendError(new ParleyError('storage_unavailable', 'The session could not be opened: the database or Redis is not answering. Try again shortly.'));
          socket.close(1011, 'storage_unavailable');
        });
    },
  );
};

function parseAfter(raw: string | undefined): number | undefined | null {
  if (raw === undefined || raw === '') return undefined;
  return afterParamSchema.safeParse(raw).success ? Number(raw) : null;
}

function parseFrame(data: RawData, isBinary: boolean, maxFrameBytes: number): ClientFrame | ParleyError {
  if (isBinary) return new ParleyError('bad_frame', 'Frames must be JSON text, not binary.');
  const size = Array.isArray(data) ? data.reduce((sum, part) => sum + part.length, 0) : data.byteLength;
  if (size > maxFrameBytes) return new ParleyError('too_large', `The frame is ${size} bytes; the limit is ${maxFrameBytes}.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8'));
  } catch {
    return new ParleyError('bad_frame', 'The frame is not valid JSON.');
  }
  const result = clientFrameSchema.safeParse(parsed);
  if (result.success) {
    // What is stored, and what the ack carries back, is this text (well-formed-text.ts).
    return result.data.type === 'message' ? { ...result.data, content: toStorableText(result.data.content) } : result.data;
  }
  const type = (parsed as { type?: unknown } | null)?.type;
  if (typeof parsed !== 'object' || parsed === null || typeof type !== 'string') {
    return new ParleyError('bad_frame', 'The frame must be a JSON object with a string "type".');
  }
  if (!['message', 'cancel', 'ping'].includes(type)) {
    // Quoted back only when short: an error frame must not echo a frame's worth of text.
    const named = type.length <= 40 ? ` "${type}"` : '';
    return new ParleyError('bad_frame', `Unknown frame type${named}; expected message, cancel or ping.`);
  }
  const detail = result.error.issues.map((issue) => `${issue.path.join('.') || 'frame'}: ${issue.message}`).join('; ');
  return new ParleyError('bad_frame', `Invalid ${type} frame: ${detail}`);
}
