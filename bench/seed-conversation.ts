import type { NewEvent, SessionStore } from '../src/store/types.js';

/** A turn takes 660 bytes of `session` frame, as in issue 20's 5,000-turn session (3.3 MB). */
const questionChars = 70;
const answerChars = 400;
const eventsPerWrite = 2_000;

/** The seqs a seeded turn takes: its ack, and its `done` (the answer's event) after 8 token frames. */
export const seqsPerTurn = 10;

/** Turn `index`'s client message id. */
export const seededMessageId = (index: number) => `m-${index}`;

/**
 * A conversation of `turns` finished turns written straight to the event log, as a session that
 * ran them would have left it: each a user message with a client id, and its answer.
 */
export async function seedConversation(store: Pick<SessionStore, 'openSession' | 'appendEvents'>, sessionId: string, turns: number, userId: string | null = null): Promise<{ lastSeq: number }> {
  await store.openSession(sessionId, userId);
  let batch: NewEvent[] = [];
  for (let index = 0; index < turns; index += 1) {
    const ackSeq = index * seqsPerTurn + 1;
    batch.push(
      { session_id: sessionId, event_type: 'user_message', content: fill(`Question ${index}:`, questionChars), metadata: { message_id: seededMessageId(index) }, seq: ackSeq },
      { session_id: sessionId, event_type: 'assistant_message', content: fill(`Answer ${index}:`, answerChars), metadata: { status: 'complete', finish_reason: 'stop' }, seq: ackSeq + seqsPerTurn - 1 },
    );
    if (batch.length >= eventsPerWrite) {
      await store.appendEvents(batch);
      batch = [];
    }
  }
  await store.appendEvents(batch);
  return { lastSeq: turns * seqsPerTurn };
}

function fill(label: string, chars: number): string {
  const words = ' lorem ipsum dolor sit amet';
  return (label + words.repeat(Math.ceil(chars / words.length))).slice(0, chars);
}
