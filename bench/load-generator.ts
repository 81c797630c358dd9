import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { expectedAnswer } from './fake-answer.js';
import { Samples } from './samples.js';
import { TurnCheck, type TurnOutcome } from './turn-check.js';

/**
 * The benchmark's client. `runLoad` opens C sessions, waits until all are connected, then
 * each sends M messages (the next after `done`) and every turn is checked (turn-check.ts).
 * `holdIdle` opens N sessions and keeps them open until told to let go.
 */
export interface LoadOptions {
  /** ws://HOST:PORT (the server's base URL). */
  url: string;
  sessions: number;
  messages: number;
  /** Tokens in each answer, to know the expected text. */
  tokens: number;
  sessionPrefix: string;
  /** A turn with no `done` by then is lost, and so are the session's later turns. */
  turnTimeoutMs?: number;
  /** First messages spread over this long, so the start is not one burst of C messages. */
  rampMs?: number;
  /** Connections opened at once while connecting. */
  connectConcurrency?: number;
  /** Appended to every message to set the fake model's pacing (warm-up turns). */
  paceDirective?: string;
}

export interface LoadResult {
  sessions: number;
  connectFailures: number;
  turns: number;
  outcomes: Record<TurnOutcome, number>;
  /** Answer tokens delivered in correct turns, per second of the load phase. */
  tokensPerSecond: number;
  tokensDelivered: number;
  /** Token frames received; fewer than the tokens when the server merged them. */
  tokenFrames: number;
  durationMs: number;
  ackMs: ReturnType<Samples['summary']>;
  firstTokenMs: ReturnType<Samples['summary']>;
  /** Per token, not per frame, so merging servers and per-token servers compare (see TurnTimings.gapsMs). */
  gapMs: ReturnType<Samples['summary']>;
  /** CPU the load generator itself used, to show when the client side is the limit. */
  clientCpuMs: number;
}

export function questionText(sessionIndex: number, turn: number): string {
  return `question ${sessionIndex}.${turn}`;
}

export function sessionIdOf(prefix: string, index: number): string {
  return `${prefix}-${index}`;
}

export interface Connection {
  socket: WebSocket;
  onFrame: ((frame: Record<string, unknown>, now: number) => void) | null;
  closed: Promise<void>;
  isClosed: boolean;
  lastSeq: number;
}

/** Opens one session socket and resolves once its `session` frame came (null when it failed). */
export function connect(url: string, sessionId: string): Promise<Connection | null> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${url}/ws/session/${sessionId}`, { perMessageDeflate: false });
    let settled = false;
    let markClosed: () => void = () => undefined;
    const connection: Connection = {
      socket,
      onFrame: null,
      isClosed: false,
      lastSeq: 0,
      closed: new Promise<void>((closedResolve) => {
        markClosed = closedResolve;
      }),
    };
    socket.on('message', (data) => {
      const now = performance.now();
      const frame = JSON.parse((data as Buffer).toString('utf8')) as Record<string, unknown>;
      if (!settled && frame.type === 'session') {
        settled = true;
        connection.lastSeq = typeof frame.last_seq === 'number' ? frame.last_seq : 0;
        resolve(connection);
        return;
      }
      connection.onFrame?.(frame, now);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      connection.isClosed = true;
      markClosed();
      if (!settled) {
        settled = true;
        resolve(null);
      }
    });
  });
}

async function connectAll(options: { url: string; sessions: number; sessionPrefix: string; connectConcurrency?: number }): Promise<Array<Connection | null>> {
  const connections: Array<Connection | null> = Array.from({ length: options.sessions }, () => null);
  let next = 0;
  const worker = async () => {
    while (next < options.sessions) {
      const index = next++;
      connections[index] = await connect(options.url, sessionIdOf(options.sessionPrefix, index));
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.sessions, options.connectConcurrency ?? 100) }, worker));
  return connections;
}

/** Sends one message and follows its turn to the end (or the timeout, or a close). */
function runTurn(connection: Connection, content: string, id: string, expected: string, timeoutMs: number): Promise<TurnCheck> {
  return new Promise((resolve) => {
    const sentAt = performance.now();
    const check = new TurnCheck(expected, sentAt, connection.lastSeq);
    const finish = () => {
      clearTimeout(timer);
      connection.onFrame = null;
      connection.lastSeq = check.lastSeq;
      resolve(check);
    };
    const timer = setTimeout(finish, timeoutMs);
    connection.onFrame = (frame, now) => {
      if (check.receive(frame, now)) finish();
    };
    void connection.closed.then(finish);
    if (connection.isClosed) return finish();
    connection.socket.send(JSON.stringify({ type: 'message', content, id }));
  });
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const expected = expectedAnswer(options.tokens);
  const timeoutMs = options.turnTimeoutMs ?? 60_000;
  const connections = await connectAll(options);
  const outcomes: Record<TurnOutcome, number> = { ok: 0, lost: 0, wrong: 0, out_of_order: 0 };
  const ack = new Samples();
  const firstToken = new Samples();
  const gap = new Samples();
  let tokenFrames = 0;
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const rampMs = options.rampMs ?? 0;

  await Promise.all(
    connections.map(async (connection, index) => {
      if (rampMs > 0) await new Promise((resolve) => setTimeout(resolve, (rampMs * index) / options.sessions));
      for (let turn = 0; turn < options.messages; turn += 1) {
        if (!connection) {
          outcomes.lost += 1;
          continue;
        }
        const content = options.paceDirective ? `${questionText(index, turn)} ${options.paceDirective}` : questionText(index, turn);
        const check = await runTurn(connection, content, `q${turn}`, expected, timeoutMs);
        const outcome = check.outcome();
        outcomes[outcome] += 1;
        if (check.timings.ackMs !== null) ack.add(check.timings.ackMs);
        if (check.timings.firstTokenMs !== null) firstToken.add(check.timings.firstTokenMs);
        gap.addAll(check.timings.gapsMs);
        tokenFrames += check.timings.tokenFrames;
        if (outcome === 'lost') {
          // The session is in an unknown state: its remaining turns count as lost.
          outcomes.lost += options.messages - turn - 1;
          return;
        }
      }
    }),
  );
  const durationMs = performance.now() - startedAt;
  const cpu = process.cpuUsage(cpuBefore);
  await closeAll(connections);
  const tokensDelivered = outcomes.ok * options.tokens;
  return {
    sessions: options.sessions,
    connectFailures: connections.filter((connection) => connection === null).length,
    turns: options.sessions * options.messages,
    outcomes,
    tokensPerSecond: Math.round(tokensDelivered / (durationMs / 1000)),
    tokensDelivered,
    tokenFrames,
    durationMs: Math.round(durationMs),
    ackMs: ack.summary(),
    firstTokenMs: firstToken.summary(),
    gapMs: gap.summary(),
    clientCpuMs: Math.round((cpu.user + cpu.system) / 1000),
  };
}

export async function closeAll(connections: Array<Connection | null>): Promise<void> {
  await Promise.all(
    connections.map((connection) => {
      if (!connection || connection.isClosed) return Promise.resolve();
      connection.socket.close(1000);
      return Promise.race([connection.closed, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    }),
  );
}

/** Opens N sessions and holds them until `release` resolves; returns how many connected. */
export async function holdIdle(
  options: { url: string; sessions: number; sessionPrefix: string; connectConcurrency?: number },
  onConnected: (connected: number, connectMs: number) => void,
  release: Promise<void>,
): Promise<void> {
  const startedAt = performance.now();
  const connections = await connectAll(options);
  onConnected(connections.filter(Boolean).length, Math.round(performance.now() - startedAt));
  await release;
  await closeAll(connections);
}

// Run on its own (run.ts does): prints `RESULT <json>` after a load run; in idle mode prints
// `READY <json>` once every session is connected, then holds until stdin says `release`.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argument = (name: string, fallback?: string) => {
    const index = process.argv.indexOf(`--${name}`);
    const value = index === -1 ? fallback : process.argv[index + 1];
    if (value === undefined) throw new Error(`--${name} is required`);
    return value;
  };
  const url = argument('url');
  const sessions = Number(argument('sessions'));
  const sessionPrefix = argument('prefix', `bench${Date.now()}`);
  if (process.argv.includes('--idle')) {
    const lines = createInterface({ input: process.stdin });
    const release = new Promise<void>((resolve) => {
      lines.on('line', (line) => line.trim() === 'release' && resolve());
      lines.on('close', () => resolve());
    });
    await holdIdle(
      { url, sessions, sessionPrefix },
      (connected, connectMs) => process.stdout.write(`READY ${JSON.stringify({ connected, connectMs })}\n`),
      release,
    );
    lines.close();
  } else {
    const result = await runLoad({
      url,
      sessions,
      sessionPrefix,
      messages: Number(argument('messages')),
      tokens: Number(argument('tokens')),
      turnTimeoutMs: Number(argument('turn-timeout-ms', '60000')),
      rampMs: Number(argument('ramp-ms', '0')),
      ...(process.argv.includes('--pace') ? { paceDirective: argument('pace') } : {}),
    });
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  }
  process.exit(0);
}
