import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnEvent } from '../../src/llm/turn-event.js';
import { scriptedRunner } from '../support/scripted-runner.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';
import { nowSeconds, signWithSecret, userClaims } from './support/tokens.js';

const secret = 'socket-expiry-jwt-secret-of-forty-chars!';

/** Each turn answers "first part", then waits for the test to let it finish. */
function gatedAnswer() {
  let release: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  const close = () => {
    gate = new Promise<void>((resolve) => {
      release = resolve;
    });
  };
  close();
  const runner = scriptedRunner(async function* (): AsyncGenerator<TurnEvent> {
    yield { type: 'text', text: 'first part, ' };
    await gate;
    yield { type: 'text', text: 'second part.' };
    yield { type: 'finish', finishReason: 'stop', usage: { promptTokens: 3, completionTokens: 4 } };
  });
  return {
    runner,
    release: () => {
      release();
      close();
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A token for alice that expires at the next whole second at least `seconds` away. */
async function tokenExpiringIn(seconds: number): Promise<{ token: string; expiresAt: number }> {
  const exp = nowSeconds() + seconds;
  return { token: await signWithSecret(secret, userClaims({ sub: 'alice', exp })), expiresAt: exp * 1000 };
}

describe('a socket whose token expires', () => {
  let server: RunningServer;
  const answer = gatedAnswer();
  beforeAll(async () => {
    server = await startServer({ AUTH_JWT_SECRET: secret, AUTH_CLOCK_SKEW_S: '0' }, { runner: answer.runner });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is told unauthorized and closed with 1008 when the token expires while it is idle', async () => {
    const { token, expiresAt } = await tokenExpiringIn(2);
    const client = await TestClient.connect(server.wsUrl, 'expiring-idle', { access_token: token });
    const error = await client.waitFor('error', () => true, 0, 5_000);
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    expect(error).toMatchObject({ code: 'unauthorized', recoverable: false, message: expect.stringMatching(/expired.*after=/) as unknown });
    expect(await client.closed()).toBe(1008);
  });

  it('gets the whole turn in progress first, then unauthorized and 1008, and resumes with a fresh token', async () => {
    const { token, expiresAt } = await tokenExpiringIn(2);
    const client = await TestClient.connect(server.wsUrl, 'expiring-mid-turn', { access_token: token });
    client.send({ type: 'message', content: 'tell me something long', id: 'long-1' });
    await client.waitFor('token');
    await sleep(expiresAt - Date.now() + 300);
    expect(client.closeCode).toBeNull();
    expect(client.frames.some((frame) => frame.type === 'error')).toBe(false);

    answer.release();
    const error = await client.waitFor('error');
    expect(await client.closed()).toBe(1008);
    const types = client.frames.map((frame) => frame.type);
    expect(types.slice(types.indexOf('done'))).toStrictEqual(['done', 'error']);
    expect(error).toMatchObject({ code: 'unauthorized' });
    expect(TestClient.text(client.frames)).toBe('first part, second part.');

    const lastSeq = (client.frames.find((frame) => frame.type === 'done') as { seq: number }).seq;
    const fresh = await tokenExpiringIn(300);
    const resumed = await TestClient.connect(server.wsUrl, 'expiring-mid-turn', { access_token: fresh.token, after: lastSeq });
    expect(resumed.session).toMatchObject({ resumed: true, last_seq: lastSeq, turn_in_progress: false });
    expect(resumed.session.history?.at(-1)).toMatchObject({ type: 'assistant_message', content: 'first part, second part.' });
    await resumed.close();
  });

  it('closes at once when an expired socket sends a message while it waits, leaving the turn of another socket alone', async () => {
    const { token, expiresAt } = await tokenExpiringIn(1);
    const client = await TestClient.connect(server.wsUrl, 'expiring-then-message', { access_token: token });
    const other = await TestClient.connect(server.wsUrl, 'expiring-then-message', { access_token: (await tokenExpiringIn(300)).token });
    other.send({ type: 'message', content: 'a long question' });
    await client.waitFor('token');
    await sleep(expiresAt - Date.now() + 200);
    expect(client.closeCode).toBeNull();

    client.send({ type: 'message', content: 'stop that and answer me', interrupt: true });
    expect(await client.waitFor('error')).toMatchObject({ code: 'unauthorized' });
    expect(await client.closed()).toBe(1008);

    answer.release();
    const done = await other.waitFor('done');
    expect(done.finish_reason).toBe('stop');
    expect(other.frames.filter((frame) => frame.type === 'ack')).toHaveLength(1);
    await other.close();
  });
});
