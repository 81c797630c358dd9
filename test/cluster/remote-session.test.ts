import { describe, expect, it } from 'vitest';
import type { MirroredFrame } from '../../src/cluster/cluster-messages.js';
import { RemoteSession, type RemoteMember } from '../../src/cluster/remote-session.js';
import type { Subscriber } from '../../src/sessions/subscriber.js';

/** What a socket on the follower was sent, in order (the Subscriber's two ways of sending). */
function member(id: string): RemoteMember & { got: string[] } {
  const got: string[] = [];
  const subscriber = {
    send: (serialized: string) => got.push(serialized),
    sendToken: (_seq: number, _content: string, serialized: string) => got.push(serialized),
    closed: false,
  } as unknown as Subscriber;
  return { id, subscriber, last: { seq: -1, k: 0 }, waiting: null, unanswered: [], account: null, got };
}

const frame = (seq: number, value: object, k = 0): MirroredFrame => ({ seq, k, sentAt: 0, serialized: JSON.stringify({ ...value, seq }) });
const ack = (seq: number, id: string) => frame(seq, { type: 'ack', id });
const token = (seq: number, content: string) => frame(seq, { type: 'token', content });
const seqs = (got: string[]) => got.map((text) => (JSON.parse(text) as { seq?: number }).seq);

describe('a session followed from another instance', () => {
  it('holds live frames while a socket catches up from the stream, then sends each frame once, in order', () => {
    const remote = new RemoteSession('s', 'owner');
    const socket = member('m1');
    remote.add(socket);
    remote.frame(token(3, 'c'));
    remote.frame(token(4, 'd'));
    expect(socket.got).toStrictEqual([]);
    remote.welcome(socket, { sessionFrame: '{"type":"session"}', replayAfter: 0, turnInProgress: true, through: { seq: 3, k: 0 } }, [ack(1, 'q'), token(2, 'b'), token(3, 'c')]);
    remote.frame(token(5, 'e'));
    expect(socket.got[0]).toBe('{"type":"session"}');
    expect(seqs(socket.got.slice(1))).toStrictEqual([1, 2, 3, 4, 5]);
  });

  it('gives a socket that joins when no turn runs nothing from before its session frame', () => {
    const remote = new RemoteSession('s', 'owner');
    const socket = member('m1');
    remote.add(socket);
    remote.frame(frame(9, { type: 'done', finish_reason: 'stop' }));
    remote.welcome(socket, { sessionFrame: '{"type":"session"}', replayAfter: null, turnInProgress: false, through: { seq: 9, k: 0 } }, []);
    remote.frame(ack(10, 'next'));
    expect(seqs(socket.got.slice(1))).toStrictEqual([10]);
  });

  it('sends a frame that shares its seq with the one before (an error about a stored event) after it', () => {
    const remote = new RemoteSession('s', 'owner');
    const socket = member('m1');
    remote.add(socket);
    remote.welcome(socket, { sessionFrame: null, replayAfter: null, turnInProgress: false, through: { seq: 5, k: 0 } }, []);
    remote.frame(token(6, 'x'));
    remote.frame(frame(6, { type: 'error', code: 'write_failed' }, 1));
    remote.frame(frame(6, { type: 'error', code: 'write_failed' }, 1));
    expect(socket.got).toHaveLength(2);
  });

  it('holds frames and asks to be put in step again when a seq is missing (a frame lost while Redis was away)', () => {
    const gaps: string[] = [];
    const remote = new RemoteSession('s', 'owner', (gapped) => gaps.push(gapped.id));
    const socket = member('m1');
    remote.add(socket);
    remote.welcome(socket, { sessionFrame: null, replayAfter: null, turnInProgress: true, through: { seq: 2, k: 0 } }, []);
    remote.frame(token(3, 'c'));
    remote.frame(token(6, 'f'));
    remote.frame(token(7, 'g'));
    expect(gaps).toStrictEqual(['m1']);
    expect(seqs(socket.got)).toStrictEqual([3]);
    remote.welcome(socket, { sessionFrame: null, replayAfter: 3, turnInProgress: true, through: { seq: 7, k: 0 } }, [token(4, 'd'), token(5, 'e'), token(6, 'f')]);
    expect(seqs(socket.got)).toStrictEqual([3, 4, 5, 6, 7]);
  });

  it('forgets a forwarded message once its ack or its error comes back, so a takeover does not send it again', () => {
    const remote = new RemoteSession('s', 'owner');
    const socket = member('m1');
    remote.add(socket);
    remote.welcome(socket, { sessionFrame: null, replayAfter: null, turnInProgress: false, through: { seq: 0, k: 0 } }, []);
    socket.unanswered.push({ type: 'message', content: 'a', id: 'a' }, { type: 'message', content: 'b', id: 'b' }, { type: 'message', content: 'c', id: 'c' });
    remote.frame(ack(1, 'a'));
    remote.reply('m1', JSON.stringify({ type: 'error', code: 'turn_in_progress', id: 'b' }));
    expect(socket.unanswered.map((message) => message.id)).toStrictEqual(['c']);
  });

  it('tells whoever waits for the turn to end when its done arrives, or when its owner is gone', async () => {
    const remote = new RemoteSession('s', 'owner');
    const socket = member('m1');
    remote.add(socket);
    remote.welcome(socket, { sessionFrame: null, replayAfter: null, turnInProgress: false, through: { seq: 0, k: 0 } }, []);
    remote.frame(ack(1, 'q'));
    let ended = false;
    const idle = remote.whenIdle().then(() => (ended = true));
    await Promise.resolve();
    expect(ended).toBe(false);
    remote.forgetTurn();
    await idle;
    expect(ended).toBe(true);
  });
});
