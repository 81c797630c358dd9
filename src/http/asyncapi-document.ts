import { z } from 'zod';
import { errorCodes } from '../errors/index.js';
import { clientFrameSchema, serverFrameSchema, sessionIdSchema, type ClientFrame, type ServerFrame } from '../protocol/index.js';
import { websocketQuerySchema } from './websocket-query.js';

/** What each frame is for; the compiler asks for one line per frame type the unions hold. */
const clientFrameSummaries: Record<ClientFrame['type'], string> = {
  message: 'A user turn. A known `id` is not run again; `interrupt` cancels the running turn first; `regenerate` / `edit_of` (a user message\'s seq) replace that turn and every one after it.',
  cancel: 'Stops the turn in progress (it ends with `done` `cancelled`).',
  ping: 'Answered by `pong`.',
};

const serverFrameSummaries: Record<ServerFrame['type'], string> = {
  session: 'The first frame after connecting: the session, its history when resumed, the models it may pick, and whether a turn is in progress.',
  ack: 'The user message is stored durably.',
  token: 'The next piece of the answer, in order.',
  tool_call: 'The model called a tool.',
  tool_result: 'What the tool returned, or why it failed.',
  done: 'The turn is over and its answer is stored.',
  error: 'Something went wrong; the socket stays usable unless it is closed.',
  pong: 'The answer to `ping`.',
  title: "The session's title changed (the model named it after its first turn, or its owner renamed it).",
};

/**
 * Frames as a reader of the wire should take them: the input side of each schema, which
 * allows fields it does not know (the contract lets the server add fields).
 */
function payloadOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...payload } = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' });
  return payload;
}

function messagesOf<T extends { shape: { type: z.ZodLiteral<string> } } & z.ZodType>(
  frames: readonly T[],
  summaries: Record<string, string>,
  direction: 'client' | 'server',
): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    frames.map((frame) => {
      const type = frame.shape.type.value;
      return [
        `${direction}_${type}`,
        {
          name: type,
          title: `${direction === 'client' ? 'Client' : 'Server'} frame \`${type}\``,
          summary: summaries[type],
          contentType: 'application/json',
          payload: payloadOf(frame),
          ...(direction === 'server' && type === 'error' ? { description: errorCodesDescription() } : {}),
        },
      ];
    }),
  );
}

function errorCodesDescription(): string {
  const rows = Object.entries(errorCodes).map(([code, { recoverable, meaning }]) => `| \`${code}\` | ${recoverable ? 'yes' : 'no'} | ${meaning} |`);
  return ['Branch on `code`, never on `message`.', '', '| code | recoverable | meaning |', '|---|---|---|', ...rows].join('\n');
}

const references = (names: readonly string[]) => names.map((name) => ({ $ref: `#/channels/session/messages/${name}` }));

export interface AsyncApiOptions {
  version: string;
  /** host[:port] clients reach this server at. */
  host: string;
  /** Reached over TLS: `wss` and `https`. */
  secure: boolean;
}

/**
 * The WebSocket protocol as an AsyncAPI 3.0 document, built from the zod schemas that parse
 * and type the frames, so it cannot drift from them. Served as /asyncapi.json.
 */
export function asyncApiDocument({ version, host, secure }: AsyncApiOptions): Record<string, unknown> {
  const clientMessages = messagesOf(clientFrameSchema.options, clientFrameSummaries, 'client');
  const serverMessages = messagesOf(serverFrameSchema.options, serverFrameSummaries, 'server');
  const { $schema: _dialect, ...query } = z.toJSONSchema(websocketQuerySchema, { target: 'draft-7', io: 'input' });
  const sessionIdPattern = z.toJSONSchema(sessionIdSchema, { target: 'draft-7' }).pattern;
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Parley realtime protocol',
      version,
      description:
        'One WebSocket per conversation session. All frames are JSON text; every server frame has a `type`, and frames about the conversation carry `seq`, growing by one per frame within the session across reconnects. The REST API is described at /openapi.json.',
      externalDocs: { description: 'The OpenAPI document of the REST API', url: `${secure ? 'https' : 'http'}://${host}/openapi.json` },
    },
    defaultContentType: 'application/json',
    servers: {
      parley: {
        host,
        protocol: secure ? 'wss' : 'ws',
        description: 'This server.',
        security: [{ $ref: '#/components/securitySchemes/bearer' }, { $ref: '#/components/securitySchemes/accessToken' }],
      },
    },
    channels: {
      session: {
        address: '/ws/session/{session_id}',
        title: 'A conversation session',
        description:
          'Connecting to a new id opens an empty session whose first `message` creates it (with REDIS_URL, the connection does); a known id resumes it with its history. Several sockets may attach to one session; each receives every frame.',
        parameters: {
          session_id: { description: `1 to 128 characters of A-Z a-z 0-9 . _ - (${sessionIdPattern ?? ''}).` },
        },
        messages: { ...clientMessages, ...serverMessages },
        bindings: { ws: { method: 'GET', query, bindingVersion: '0.1.0' } },
      },
    },
    operations: {
      sendFrames: {
        action: 'send',
        title: 'Client to server',
        channel: { $ref: '#/channels/session' },
        messages: references(Object.keys(clientMessages)),
      },
      receiveFrames: {
        action: 'receive',
        title: 'Server to client',
        channel: { $ref: '#/channels/session' },
        messages: references(Object.keys(serverMessages)),
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: '`Authorization: Bearer <token>` on the upgrade request.' },
        accessToken: { type: 'httpApiKey', name: 'access_token', in: 'query', description: 'The same token as `?access_token=`, for browsers.' },
      },
    },
  };
}
