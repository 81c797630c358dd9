import { expectedAnswer } from './fake-answer.js';
import { questionText, sessionIdOf } from './load-generator.js';

/**
 * After a run: reads every session's events back through the REST API and counts the events
 * that should be there and are not (or differ): for each turn the user's message and the
 * complete assistant answer, in that order.
 */
export interface VerifyResult {
  expected: number;
  missing: number;
  /** The first few problems, to say what went wrong. */
  examples: string[];
}

interface StoredEventLike {
  event_type: string;
  content: string | null;
  metadata: Record<string, unknown>;
  seq: number;
}

async function readEvents(httpUrl: string, sessionId: string): Promise<StoredEventLike[]> {
  const events: StoredEventLike[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await fetch(`${httpUrl}/api/sessions/${sessionId}/events?${query}`);
    if (response.status === 404) return events;
    if (!response.ok) throw new Error(`events of ${sessionId}: HTTP ${response.status}`);
    const page = (await response.json()) as { events: StoredEventLike[]; next_cursor: string | null };
    events.push(...page.events);
    cursor = page.next_cursor;
  } while (cursor);
  return events;
}

export async function verifyEvents(options: {
  httpUrl: string;
  sessionPrefix: string;
  sessions: number;
  messages: number;
  tokens: number;
  concurrency?: number;
}): Promise<VerifyResult> {
  const answer = expectedAnswer(options.tokens);
  const result: VerifyResult = { expected: options.sessions * options.messages * 2, missing: 0, examples: [] };
  const problem = (text: string, count = 1) => {
    result.missing += count;
    if (result.examples.length < 5) result.examples.push(text);
  };
  let next = 0;
  const worker = async () => {
    while (next < options.sessions) {
      const index = next++;
      const sessionId = sessionIdOf(options.sessionPrefix, index);
      let events: StoredEventLike[];
      try {
        events = (await readEvents(options.httpUrl, sessionId)).filter(
          (event) => event.event_type === 'user_message' || event.event_type === 'assistant_message',
        );
      } catch (error) {
        problem(`${sessionId}: ${error instanceof Error ? error.message : String(error)}`, options.messages * 2);
        continue;
      }
      for (let turn = 0; turn < options.messages; turn += 1) {
        const user = events[turn * 2];
        const assistant = events[turn * 2 + 1];
        if (user?.event_type !== 'user_message' || user.content !== questionText(index, turn)) {
          problem(`${sessionId} turn ${turn}: user_message missing or different (${user?.event_type}: ${user?.content?.slice(0, 40)})`);
        }
        if (assistant?.event_type !== 'assistant_message' || assistant.content !== answer || assistant.metadata.status !== 'complete') {
          problem(`${sessionId} turn ${turn}: assistant_message missing or different (${assistant?.event_type}, status ${String(assistant?.metadata.status)})`);
        }
      }
      if (events.length > options.messages * 2) problem(`${sessionId}: ${events.length - options.messages * 2} unexpected extra events`, 0);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  return result;
}
