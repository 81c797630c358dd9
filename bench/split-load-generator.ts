import { pathToFileURL } from 'node:url';
import { expectedAnswer } from './fake-answer.js';
import { closeAll, connect, questionText, sessionIdOf, type Connection } from './load-generator.js';
import { Samples } from './samples.js';
import { TurnCheck, type TurnOutcome } from './turn-check.js';

/**
 * The client of `cluster-split`: every session has two sockets. The first connects and gets
 * its `session` frame before the second connects, so the first one's instance runs the session;
 * the second is on the other instance (a follower), or on the same one when both URLs are
 * equal. Sessions alternate which instance gets the first socket, so both instances run
 * sessions and follow others. Messages go from the socket on instance A for the first half of
 * the sessions and from the one on B for the rest, so half of the sessions send from the
 * follower (their messages are forwarded to the owner) and half from the owner. Each turn is followed on both sockets: a turn is ok
 * only when both got the ack, the exact answer and `done`, in order.
 */
export interface SplitLoadOptions {
  urlA: string;
  /** Equal to urlA to put both sockets on one instance. */
  urlB: string;
  sessions: number;
  messages: number;
  tokens: number;
  sessionPrefix: string;
  turnTimeoutMs?: number;
  rampMs?: number;
  connectConcurrency?: number;
  paceDirective?: string;
}

type Timings = Record<'ackMs' | 'firstTokenMs' | 'gapMs', ReturnType<Samples['summary']>>;

export interface SplitLoadResult {
  sessions: number;
  connectFailures: number;
  turns: number;
  /** Per turn, both sockets together: the worse of the two outcomes. */
  outcomes: Record<TurnOutcome, number>;
  /** Answer tokens of ok turns (counted once, not per socket) per second of the load phase. */
  tokensPerSecond: number;
  tokensDelivered: number;
  durationMs: number;
  /** As the socket that connected first saw each turn (it is on the instance running the session). */
  first: Timings;
  /** As the socket that connected second saw each turn (on the other instance when split). */
  second: Timings;
  /** The sender's ack, when it sent from the first socket and when from the second (forwarded when split). */
  ackBySender: { first: ReturnType<Samples['summary']>; second: ReturnType<Samples['summary']> };
  /** Frames that arrived on a socket while it expected no turn (a duplicate or a late frame). */
  unexpectedFrames: number;
  /** The first few of those, for the report. */
  unexpectedExamples: string[];
  clientCpuMs: number;
}

class RoleSamples {
  readonly ack = new Samples();
  readonly firstToken = new Samples();
  readonly gap = new Samples();

  add(check: TurnCheck): void {
    if (check.timings.ackMs !== null) this.ack.add(check.timings.ackMs);
    if (check.timings.firstTokenMs !== null) this.firstToken.add(check.timings.firstTokenMs);
    this.gap.addAll(check.timings.gapsMs);
  }

  summary(): Timings {
    return { ackMs: this.ack.summary(), firstTokenMs: this.firstToken.summary(), gapMs: this.gap.summary() };
  }
}

const badness: Record<TurnOutcome, number> = { ok: 0, wrong: 1, out_of_order: 2, lost: 3 };

/** Follows one turn on one socket until its `done`, the deadline or the socket's close. */
function follow(connection: Connection, check: TurnCheck, deadline: number): Promise<void> {
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      connection.onFrame = null;
      connection.lastSeq = check.lastSeq;
      resolve();
    };
    const timer = setTimeout(finish, Math.max(0, deadline - performance.now()));
    connection.onFrame = (frame, now) => {
      if (check.receive(frame, now)) finish();
    };
    void connection.closed.then(finish);
    if (connection.isClosed) finish();
  });
}

export async function runSplitLoad(options: SplitLoadOptions): Promise<SplitLoadResult> {
  const expected = expectedAnswer(options.tokens);
  const timeoutMs = options.turnTimeoutMs ?? 60_000;
  const pairs: Array<{ first: Connection | null; second: Connection | null }> = Array.from({ length: options.sessions }, () => ({ first: null, second: null }));
  let unexpectedFrames = 0;
  const unexpectedExamples: string[] = [];
  const watchIdle = (connection: Connection, label: string) => {
    connection.onFrame = (frame) => {
      unexpectedFrames += 1;
      if (unexpectedExamples.length < 5) unexpectedExamples.push(`${label}: ${JSON.stringify(frame).slice(0, 120)}`);
    };
  };

  let next = 0;
  const connectWorker = async () => {
    while (next < options.sessions) {
      const index = next++;
      const sessionId = sessionIdOf(options.sessionPrefix, index);
      const [firstUrl, secondUrl] = index % 2 === 0 ? [options.urlA, options.urlB] : [options.urlB, options.urlA];
      const first = await connect(firstUrl, sessionId);
      const second = first ? await connect(secondUrl, sessionId) : null;
      pairs[index] = { first, second };
      if (first) watchIdle(first, `${sessionId} first socket`);
      if (second) watchIdle(second, `${sessionId} second socket`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.sessions, options.connectConcurrency ?? 100) }, connectWorker));

  const outcomes: Record<TurnOutcome, number> = { ok: 0, lost: 0, wrong: 0, out_of_order: 0 };
  const first = new RoleSamples();
  const second = new RoleSamples();
  const ackBySender = { first: new Samples(), second: new Samples() };
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const rampMs = options.rampMs ?? 0;
  const half = options.sessions / 2;

  await Promise.all(
    pairs.map(async (pair, index) => {
      if (rampMs > 0) await new Promise((resolve) => setTimeout(resolve, (rampMs * index) / options.sessions));
      const sessionId = sessionIdOf(options.sessionPrefix, index);
      // The socket on A for the first half, the one on B for the rest (see the top of the file).
      const senderIsFirst = index < half === (index % 2 === 0);
      for (let turn = 0; turn < options.messages; turn += 1) {
        if (!pair.first || !pair.second) {
          outcomes.lost += options.messages - turn;
          return;
        }
        const content = options.paceDirective ? `${questionText(index, turn)} ${options.paceDirective}` : questionText(index, turn);
        const sentAt = performance.now();
        const deadline = sentAt + timeoutMs;
        const checks = { first: new TurnCheck(expected, sentAt, pair.first.lastSeq), second: new TurnCheck(expected, sentAt, pair.second.lastSeq) };
        const followed = Promise.all([follow(pair.first, checks.first, deadline), follow(pair.second, checks.second, deadline)]);
        const sender = senderIsFirst ? pair.first : pair.second;
        if (!sender.isClosed) sender.socket.send(JSON.stringify({ type: 'message', content, id: `q${turn}` }));
        await followed;
        watchIdle(pair.first, `${sessionId} first socket`);
        watchIdle(pair.second, `${sessionId} second socket`);
        const outcome = [checks.first.outcome(), checks.second.outcome()].sort((a, b) => badness[b] - badness[a])[0]!;
        outcomes[outcome] += 1;
        first.add(checks.first);
        second.add(checks.second);
        const senderCheck = senderIsFirst ? checks.first : checks.second;
        if (senderCheck.timings.ackMs !== null) (senderIsFirst ? ackBySender.first : ackBySender.second).add(senderCheck.timings.ackMs);
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
  await closeAll(pairs.flatMap((pair) => [pair.first, pair.second]));
  const tokensDelivered = outcomes.ok * options.tokens;
  return {
    sessions: options.sessions,
    connectFailures: pairs.filter((pair) => !pair.first || !pair.second).length,
    turns: options.sessions * options.messages,
    outcomes,
    tokensPerSecond: Math.round(tokensDelivered / (durationMs / 1000)),
    tokensDelivered,
    durationMs: Math.round(durationMs),
    first: first.summary(),
    second: second.summary(),
    ackBySender: { first: ackBySender.first.summary(), second: ackBySender.second.summary() },
    unexpectedFrames,
    unexpectedExamples,
    clientCpuMs: Math.round((cpu.user + cpu.system) / 1000),
  };
}

// Run on its own (run-cluster.ts does): prints `RESULT <json>`.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argument = (name: string, fallback?: string) => {
    const index = process.argv.indexOf(`--${name}`);
    const value = index === -1 ? fallback : process.argv[index + 1];
    if (value === undefined) throw new Error(`--${name} is required`);
    return value;
  };
  const result = await runSplitLoad({
    urlA: argument('url-a'),
    urlB: argument('url-b'),
    sessions: Number(argument('sessions')),
    messages: Number(argument('messages')),
    tokens: Number(argument('tokens')),
    sessionPrefix: argument('prefix', `split${Date.now()}`),
    turnTimeoutMs: Number(argument('turn-timeout-ms', '60000')),
    rampMs: Number(argument('ramp-ms', '0')),
    ...(process.argv.includes('--pace') ? { paceDirective: argument('pace') } : {}),
  });
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  process.exit(0);
}
