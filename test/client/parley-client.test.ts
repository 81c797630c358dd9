import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connect, ParleyClientError, type ConnectionState, type ConnectOptions, type ParleyClient, type RetryPlan, type ServerFrame, type Turn } from '../../client/src/index.js';
import { signWithSecret, userClaims } from '../auth/support/tokens.js';
import { eventually } from '../support/eventually.js';
import { startServer, type RunningServer } from '../support/start-server.js';

/** A long offline answer: at 10 ms a piece it streams for a second or more. */
const longQuestion = 'What can you do?';

const clients: ParleyClient[] = [];
function open(server: RunningServer, sessionId: string, options: Partial<ConnectOptions> = {}): ParleyClient {
  const client = connect(sessionId, { url: server.httpUrl, WebSocket, backoff: { baseMs: 20, maxMs: 200 }, ...options });
  clients.push(client);
  return client;
}
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

async function collect(turn: Turn): Promise<string[]> {
  const tokens: string[] = [];
  for await (const token of turn.tokens) tokens.push(token);
  return tokens;
}

function states(client: ParleyClient): ConnectionState[] {
  const seen: ConnectionState[] = [client.state];
  client.on('state', (state) => seen.push(state));
  return seen;
}

function frames(client: ParleyClient): ServerFrame[] {
  const seen: ServerFrame[] = [];
  client.on('frame', (frame) => seen.push(frame));
  return seen;
}

describe('the typed client against the real server, in Node with ws', () => {
  let server: RunningServer;
  let fullAnswer: string;
  beforeAll(async () => {
    server = await startServer({ OFFLINE_TOKEN_DELAY_MS: '10' });
    const reference = open(server, `reference-${randomUUID()}`);
    fullAnswer = (await reference.send(longQuestion).done).text;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('sends a message with its id, gets the ack, iterates the tokens and ends with done', async () => {
    const client = open(server, `node-${randomUUID()}`);
    const seen = frames(client);
    const turn = client.send('What is 12*7?', { id: 'first-message' });
    const tokens = await collect(turn);
    const end = await turn.done;
    expect((await turn.acked).id).toBe('first-message');
    expect(end.finishReason).toBe('stop');
    expect(tokens.join('')).toBe(end.text);
    expect(end.text).toContain('12*7 = 84.');
    expect(seen.map((frame) => frame.type).filter((type) => type !== 'token')).toStrictEqual(['session', 'ack', 'tool_call', 'tool_result', 'done']);
    const toolResult = seen.find((frame) => frame.type === 'tool_result');
    expect(toolResult?.type === 'tool_result' && toolResult.result).toStrictEqual({ expression: '12*7', result: 84 });
    expect(client.state).toBe('live');
  });

  it('cancels the running turn, which keeps the text sent so far', async () => {
    const client = open(server, `node-${randomUUID()}`);
    const turn = client.send(longQuestion);
    const tokens: string[] = [];
    for await (const token of turn.tokens) {
      tokens.push(token);
      if (tokens.length === 3) client.cancel();
    }
    const end = await turn.done;
    expect(end.finishReason).toBe('cancelled');
    expect(end.text).toBe(tokens.join(''));
    expect(end.text.length).toBeLessThan(fullAnswer.length);
    expect(fullAnswer.startsWith(end.text)).toBe(true);
  });

  it('interrupts the running turn with a new message, which is answered next', async () => {
    const client = open(server, `node-${randomUUID()}`);
    const first = client.send(longQuestion);
    for await (const _token of first.tokens) break;
    const second = client.interrupt('What is 2+2?');
    expect((await first.done).finishReason).toBe('interrupted');
    const end = await second.done;
    expect(end.finishReason).toBe('stop');
    expect(end.text).toContain('2+2 = 4.');
  });

  it('resumes after the server drops the socket mid-answer, with no token lost or doubled', async () => {
    const client = open(server, `node-${randomUUID()}`);
    const seen = frames(client);
    const stateLog = states(client);
    const turn = client.send(longQuestion);
    const tokens: string[] = [];
    let dropped = false;
    for await (const token of turn.tokens) {
      tokens.push(token);
      if (tokens.length === 5 && !dropped) {
        dropped = true;
        for (const socket of server.app.websocketServer.clients) socket.terminate();
      }
    }
    expect(tokens.join('')).toBe(fullAnswer);
    expect((await turn.done).finishReason).toBe('stop');
    const seqs = seen.flatMap((frame) => ('seq' in frame && frame.seq !== undefined ? [frame.seq] : []));
    expect(seqs).toStrictEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(stateLog).toStrictEqual(['connecting', 'live', 'reconnecting', 'live']);
    expect(seen.filter((frame) => frame.type === 'session').map((frame) => frame.type === 'session' && frame.turn_in_progress)).toStrictEqual([false, true]);
  });

  it('says when it will try again after the connection drops, counting the attempts from zero', async () => {
    const client = open(server, `node-${randomUUID()}`);
    await eventually(() => client.state === 'live');
    const plans: RetryPlan[] = [];
    client.on('retry', (plan) => plans.push(plan));
    for (const socket of server.app.websocketServer.clients) socket.terminate();
    await eventually(() => plans.length === 1);
    expect(plans[0]!.attempt).toBe(0);
    expect(plans[0]!.delayMs).toBeGreaterThan(0);
    expect(plans[0]!.delayMs).toBeLessThanOrEqual(200);
    await eventually(() => client.state === 'live');
    expect(plans).toHaveLength(1);
  });

  it('sends a message written while disconnected once the connection is back, and runs it once', async () => {
    const sessionId = `node-${randomUUID()}`;
    const client = open(server, sessionId);
    await eventually(() => client.state === 'live');
    // Heard as it happens: with 20 ms backoff, polling may miss the reconnecting state.
    const reconnecting = new Promise<void>((resolve) => client.on('state', (state) => state === 'reconnecting' && resolve()));
    for (const socket of server.app.websocketServer.clients) socket.terminate();
    await reconnecting;
    const turn = client.send('What is 6*7?', { id: 'written-offline' });
    expect((await turn.done).text).toContain('42');
    const events = await server.app.parley.store.listEvents(sessionId, { limit: 50 });
    expect(events.events.filter((event) => event.event_type === 'user_message').map((event) => event.content)).toStrictEqual(['What is 6*7?']);
  });

  it('gives every client of one session every turn, including the ones another client sent', async () => {
    const sessionId = `node-${randomUUID()}`;
    const sender = open(server, sessionId);
    const watcher = open(server, sessionId);
    await eventually(() => sender.state === 'live' && watcher.state === 'live');
    const watched = new Promise<Turn>((resolve) => watcher.on('turn', resolve));
    const sent = sender.send('What is 3*5?');
    const other = await watched;
    const [sentTokens, watchedTokens] = await Promise.all([collect(sent), collect(other)]);
    expect(watchedTokens).toStrictEqual(sentTokens);
    expect((await other.acked).content).toBe('What is 3*5?');
    expect((await other.done).finishReason).toBe('stop');
  });

  it('rejects a message sent while a turn runs with a typed turn_in_progress error', async () => {
    const client = open(server, `node-${randomUUID()}`);
    const running = client.send(longQuestion);
    await running.acked;
    const refused = client.send('And another thing');
    const error = await refused.acked.then(() => null, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ParleyClientError);
    expect(error).toMatchObject({ code: 'turn_in_progress', recoverable: true });
    await expect(collect(refused)).rejects.toMatchObject({ code: 'turn_in_progress' });
    expect((await running.done).finishReason).toBe('stop');
  });

  it('ends the turns still waiting with client_closed when the client is closed', async () => {
    const client = open(server, `node-${randomUUID()}`);
    const turn = client.send(longQuestion);
    await turn.acked;
    client.close();
    await expect(collect(turn)).rejects.toMatchObject({ code: 'client_closed' });
    expect(client.state).toBe('closed');
  });
});

describe('the typed client refused by a server with JWT auth', () => {
  const secret = 'client-test-secret-0123456789-abcdef';
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ AUTH_JWT_SECRET: secret });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('reports another user\'s session as a forbidden refusal and stops', async () => {
    const sessionId = `owned-${randomUUID()}`;
    const owner = open(server, sessionId, { token: await signWithSecret(secret, userClaims({ sub: 'ada' })) });
    expect((await owner.send('Hello').done).finishReason).toBe('stop');
    const intruder = open(server, sessionId, { token: await signWithSecret(secret, userClaims({ sub: 'eve' })) });
    const refusal = await new Promise<Parameters<Parameters<ParleyClient['on']>[1]>[0]>((resolve) => intruder.on('refused', resolve));
    expect(refusal).toMatchObject({ error: { code: 'forbidden', recoverable: false } });
    expect(intruder.state).toBe('closed');
  });

  it('renews a refused token once and goes on with the new one', async () => {
    const expired = await signWithSecret(secret, userClaims({ sub: 'ada', exp: Math.floor(Date.now() / 1000) - 600 }));
    const fresh = await signWithSecret(secret, userClaims({ sub: 'ada' }));
    const asked: Array<string | null> = [];
    const client = open(server, `renewed-${randomUUID()}`, {
      token: expired,
      renewToken: async (stale) => {
        asked.push(stale);
        return fresh;
      },
    });
    expect((await client.send('What is 1+1?').done).text).toContain('1+1 = 2.');
    expect(asked).toStrictEqual([expired]);
  });

  it('refuses for good when no newer token comes, with a typed unauthorized error', async () => {
    const client = open(server, `anonymous-${randomUUID()}`, { renewToken: async () => null });
    const turn = client.send('Hello?');
    await expect(turn.done).rejects.toMatchObject({ code: 'unauthorized', recoverable: false });
    expect(client.state).toBe('closed');
  });
});
