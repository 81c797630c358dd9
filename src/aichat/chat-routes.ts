import { UI_MESSAGE_STREAM_HEADERS } from 'ai';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { canAccessSession } from '../auth/can-access-session.js';
import { ParleyError, isParleyError } from '../errors/index.js';
import { principalOf } from '../http/access-hook.js';
import { attachAsPrincipal } from '../http/attach-as-principal.js';
import { createSessionOwnershipHook, noSuchSession, ownedSessionOf } from '../http/session-access.js';
import { problemSchema, sessionParamsSchema } from '../http/session-schemas.js';
import { userIdParamSchema } from '../http/user-id-param.js';
import { quotaAccountOf } from '../quotas/quota-account.js';
import type { FrameSocket } from '../sessions/frame-socket.js';
import type { SessionConnection } from '../sessions/session-connection.js';
import type { SessionHub } from '../sessions/session-hub.js';
import type { SessionStore } from '../store/types.js';
import { waitAtMost } from '../time/wait-at-most.js';
import { ChatAnswerSocket, type WantedTurn } from './chat-answer-socket.js';
import { chatRequestSchema, readUserTurn, type UserTurn } from './chat-request.js';
import { UiMessageEventStream } from './ui-message-event-stream.js';

export interface ChatRoutesOptions {
  hub: SessionHub;
  store: SessionStore;
  /** Other instances may run sessions (REDIS_URL): a session not in memory here may have a turn in progress. */
  clustered: boolean;
  /** How long a message may take to be stored and acknowledged before the request is answered 503 (3 x ACK_TIMEOUT_MS). */
  decideWithinMs: number;
}

/** useChat sends the whole conversation each time; Parley reads only the last message, but takes this much. */
export const maxChatBodyBytes = 1024 * 1024;

const credentialQuery = { token: z.string().optional(), access_token: z.string().optional() };
const eventStream = z.string().describe('text/event-stream: the AI SDK UI message stream (header x-vercel-ai-ui-message-stream: v1), ending with data: [DONE]');
const refusals = { 401: problemSchema, 403: problemSchema, 404: problemSchema };

/** Frames sent to a socket that only carries a cancel go nowhere. */
const silentSocket: FrameSocket = { readyState: 1, OPEN: 1, bufferedAmount: 0, send: () => undefined, close: () => undefined };

/**
 * AI SDK chat apps (`useChat`, `DefaultChatTransport`): `POST /api/chat` runs the last user
 * message as a turn of the session named by the chat id and streams the answer as a UI message
 * stream; `GET /api/chat/{id}/stream` resumes the turn in progress; `POST /api/chat/{id}/stop`
 * cancels it. Each answer is a socket of the session like a WebSocket (ChatAnswerSocket), so
 * admission, quotas, the event log, fan-out to the session's other sockets and other instances
 * are the WebSocket's own.
 */
export const chatRoutes: FastifyPluginAsyncZod<ChatRoutesOptions> = async (app, { hub, store, clustered, decideWithinMs }) => {
  const ownership = createSessionOwnershipHook(store);

  app.post('/api/chat', {
    bodyLimit: maxChatBodyBytes,
    schema: {
      tags: ['chat'],
      summary: "Runs the last user message as a turn of the session `id` and streams the answer (the AI SDK's UI message stream protocol)",
      querystring: z.object({ user_id: userIdParamSchema.optional(), ...credentialQuery }),
      body: chatRequestSchema,
      response: { 200: eventStream, 400: problemSchema, ...refusals, 409: problemSchema, 413: problemSchema, 429: problemSchema, 503: problemSchema },
    },
  }, async (request, reply) => {
    const turn = readUserTurn(request.body);
    return streamAnswer(request, reply, {
      sessionId: request.body.id,
      wanted: { messageId: turn.id },
      message: turn,
      cancelOnDisconnect: request.body.on_disconnect === 'cancel',
      requestedUserId: request.query.user_id || undefined,
    });
  });

  app.get('/api/chat/:id/stream', {
    schema: {
      tags: ['chat'],
      summary: "Resumes the turn in progress: its stream from the start, then live; 204 when no turn runs (or no such session of the caller's)",
      params: sessionParamsSchema,
      querystring: z.object(credentialQuery),
      response: { 200: eventStream, 204: z.null().describe('No turn in progress'), 401: problemSchema, 403: problemSchema, 503: problemSchema },
    },
  }, async (request, reply) => {
    // useChat asks on every page load, new chats included: an unknown session has no turn to
    // resume rather than being an error, and another user's answers the same.
    const session = await store.getSession(request.params.id);
    const visible = session !== null && canAccessSession(principalOf(request), session.user_id) === 'allow';
    if (!visible || !mayRunTurn(session.session_id, session.is_active)) return reply.code(204).send(null);
    return streamAnswer(request, reply, { sessionId: session.session_id, wanted: { inProgress: true }, message: null, cancelOnDisconnect: false, requestedUserId: undefined });
  });

  app.post('/api/chat/:id/stop', {
    preHandler: ownership,
    schema: {
      tags: ['chat'],
      summary: 'Cancels the turn in progress, as a WebSocket cancel does (for apps whose streams keep running on a disconnect)',
      params: sessionParamsSchema,
      querystring: z.object(credentialQuery),
      response: { 204: z.null().describe('No turn runs any more'), ...refusals, 503: problemSchema },
    },
  }, async (request, reply) => {
    const session = ownedSessionOf(request);
    const local = hub.get(session.session_id);
    if (local) await local.handle({ type: 'cancel' }, silentSocket);
    else if (mayRunTurn(session.session_id, session.is_active)) {
      const connection = await attach(request, session.session_id, silentSocket, undefined);
      try {
        await hub.handle(connection, { type: 'cancel' }, null);
      } finally {
        hub.detach(connection);
      }
    }
    return reply.code(204).send(null);
  });

  /** Whether a turn may be running: here when the session is in memory, elsewhere only with other instances and an active session. */
  function mayRunTurn(sessionId: string, isActive: boolean): boolean {
    const local = hub.get(sessionId);
    return local ? !local.idle : clustered && isActive;
  }

  async function attach(request: FastifyRequest, sessionId: string, socket: FrameSocket, requestedUserId: string | undefined): Promise<SessionConnection> {
    if (hub.closing) throw new ParleyError('shutting_down', 'The server is shutting down; try again shortly.');
    try {
      return await attachAsPrincipal(hub, store, { sessionId, principal: principalOf(request), requestedUserId, socket, after: undefined, refusal: () => noSuchSession(sessionId) });
    } catch (error) {
      if (isParleyError(error)) throw error;
      request.log.error({ err: error, sessionId }, 'session attach failed');
      throw new ParleyError('storage_unavailable', 'The session could not be opened: the database or Redis is not answering. Try again shortly.');
    }
  }

  async function streamAnswer(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { sessionId: string; wanted: WantedTurn; message: UserTurn | null; cancelOnDisconnect: boolean; requestedUserId: string | undefined },
  ): Promise<FastifyReply> {
    const account = quotaAccountOf(principalOf(request), request.ip);
    const output = new UiMessageEventStream(reply.raw);
    const answer = new ChatAnswerSocket(options.wanted, output);
    let connection: SessionConnection | null = null;
    /** Set once the client was told something other than the stream (an error, 204): a later close is not a disconnect. */
    let answered = false;
    let left = false;
    const leave = () => {
      if (left || connection === null) return;
      left = true;
      hub.detach(connection);
    };
    const onClientGone = () => {
      if (answer.finished || answered) return leave();
      answer.abandon();
      // Stop: the turn this request started is cancelled exactly as by a WebSocket `cancel`.
      const cancelling = waitAtMost(answer.decided, decideWithinMs).then(async (decided) => {
        if (decided && options.cancelOnDisconnect && (await answer.decided) === 'live' && !answer.turnOver && connection) {
          await hub.handle(connection, { type: 'cancel' }, account);
        }
      });
      void cancelling.catch(() => undefined).finally(leave);
    };
    reply.raw.on('close', () => {
      if (connection !== null) onClientGone();
    });

    connection = await attach(request, options.sessionId, answer, options.requestedUserId);
    if (reply.raw.destroyed) {
      answered = true;
      leave();
      return reply;
    }
    try {
      if (options.message) {
        const { id, content, interrupt } = options.message;
        await hub.handle(connection, { type: 'message', id, content, ...(interrupt ? { interrupt } : {}) }, account);
      }
      if (!(await waitAtMost(answer.decided, decideWithinMs))) {
        throw new ParleyError('storage_unavailable', 'The session did not answer in time; send the message again (a message id runs once).');
      }
      if ((await answer.decided) === 'none') {
        answered = true;
        leave();
        return reply.code(204).send(null);
      }
    } catch (error) {
      answered = true;
      answer.abandon();
      leave();
      throw error;
    }
    void answer.ended.then(leave);
    return reply.code(200).headers(UI_MESSAGE_STREAM_HEADERS).send(output.body);
  }
};
