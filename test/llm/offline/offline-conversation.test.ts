import { describe, expect, it } from 'vitest';
import { systemPrompt } from '../../../src/llm/model-runner.js';
import { createOfflineModel } from '../../../src/llm/offline/offline-model.js';
import { capabilities, configureHint, firstTurnNote, offlineIntro } from '../../../src/llm/offline/offline-texts.js';
import { stepsOf } from '../../../src/llm/model-step.js';
import { runModelTurn } from '../../../src/llm/run-model-turn.js';
import type { TurnEvent } from '../../../src/llm/turn-event.js';
import type { HistoryItem } from '../../../src/protocol/index.js';
import { isWellFormed } from '../../text/is-well-formed.js';
import { runOffline, textOf } from './stream-helpers.js';
import { createTestToolRegistry } from './test-tool-registry.js';

const at = '2025-01-01T00:00:00.000Z';

/** A conversation as the event log keeps it: each user message, then the whole assistant answer. */
function history(...turns: Array<[user: string, assistant: string]>): HistoryItem[] {
  return turns.flatMap(([user, assistant], index): HistoryItem[] => [
    { type: 'user_message', content: user, seq: index * 2 + 1, created_at: at },
    { type: 'assistant_message', content: assistant, status: 'complete', seq: index * 2 + 2, created_at: at },
  ]);
}

function turnAfter(earlier: HistoryItem[], question: string): AsyncGenerator<TurnEvent> {
  return runModelTurn({
    model: stepsOf(createOfflineModel({ tokenDelayMs: 0 })),
    system: systemPrompt,
    history: [...earlier, { type: 'user_message', content: question, seq: earlier.length + 1, created_at: at }],
    tools: createTestToolRegistry(),
    maxSteps: 5,
    signal: new AbortController().signal,
  });
}

/** The answer to `question` after the `earlier` conversation, as a Parley turn runs it. */
async function ask(earlier: HistoryItem[], question: string): Promise<string> {
  const events = await collect(turnAfter(earlier, question));
  return events.flatMap((event) => (event.type === 'text' ? [event.text] : [])).join('');
}

async function collect(events: AsyncGenerator<TurnEvent>): Promise<TurnEvent[]> {
  const seen: TurnEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

describe('what the offline model says about itself', () => {
  it('introduces itself as the offline model on the first turn, with how to configure a real one', async () => {
    const text = textOf(await runOffline('tell me a joke'));
    expect(text).toBe(`${offlineIntro} I can't answer that properly without a real model. ${capabilities} ${configureHint}`);
    expect(text).toContain('GEMINI_API_KEY');
    expect(text).toContain('OPENAI_BASE_URL');
  });

  it('adds the offline note to other first-turn answers', async () => {
    expect(textOf(await runOffline('hello'))).toBe(`Hello! How can I help?\n\n${firstTurnNote}`);
  });

  it('keeps later small talk short', async () => {
    const earlier = history(['hello', `Hello! How can I help?\n\n${firstTurnNote}`]);
    expect(await ask(earlier, 'thanks!')).toBe("You're welcome!");
  });

  it('says what it is whenever asked, on any turn', async () => {
    const earlier = history(['hello', 'Hello! How can I help?'], ['thanks', "You're welcome!"]);
    expect(await ask(earlier, 'Who are you?')).toBe(`${offlineIntro} ${capabilities} ${configureHint}`);
  });
});

describe('memory across turns', () => {
  const earlier = history(
    ['my name is Ada', 'Nice to meet you, Ada! I will remember your name for the rest of this conversation.'],
    ['what is 12*(3+4)?', '12*(3+4) = 84.'],
  );

  it('remembers the name the user gave', async () => {
    expect(await ask(earlier, 'what is my name?')).toBe('Your name is Ada.');
  });

  it('quotes the previous question', async () => {
    expect(await ask(earlier, 'what did I ask before?')).toBe('Your previous message was: "what is 12*(3+4)?"');
    expect(await ask(earlier, 'What was my previous question?')).toBe('Your previous message was: "what is 12*(3+4)?"');
  });

  it('lists what was talked about', async () => {
    expect(await ask(earlier, 'what did we talk about?')).toBe('So far you said:\n- "my name is Ada"\n- "what is 12*(3+4)?"');
  });

  it('says so when there is nothing to remember yet', async () => {
    expect(textOf(await runOffline('what is my name?'))).toBe(
      `You have not told me your name yet. Tell me with "my name is ...".\n\n${firstTurnNote}`,
    );
  });

  it('runs as a Parley turn: history from the event log in, turn events out', async () => {
    const events = await collect(turnAfter(earlier, 'and 2^10?'));

    expect(events.map((event) => (event.type === 'tool_result' ? { ...event, durationMs: 0 } : event))).toStrictEqual([
      { type: 'tool_call', callId: 'offline-6-0', name: 'calculator', arguments: { expression: '2^10' } },
      { type: 'tool_result', callId: 'offline-6-0', name: 'calculator', result: { expression: '2^10', result: 1024 }, durationMs: 0 },
      { type: 'text', text: '2^10 ' },
      { type: 'text', text: '= ' },
      { type: 'text', text: '1024.' },
      // Estimated at four characters a token. Input: the system prompt and the conversation, read
      // by both steps. Output: the call (31 characters), then "2^10 = 1024.".
      { type: 'finish', finishReason: 'stop', usage: { promptTokens: 182, completionTokens: 8 + 3 } },
    ]);
  });

  it('quotes a long earlier message cut before an emoji it cannot fit, never inside it', async () => {
    // 198 letters, then an emoji of two UTF-16 units across the 199-unit quote limit.
    const earlier = history([`${'a'.repeat(198)}😀 tail`, 'Noted.']);
    const answer = await ask(earlier, 'what did I just ask?');
    expect(answer).toBe(`Your previous message was: "${'a'.repeat(198)}…"`);
    expect(isWellFormed(answer)).toBe(true);
  });

  it('quotes a message whose turn failed on its own, not glued to the next one', async () => {
    const earlier: HistoryItem[] = [
      { type: 'user_message', content: 'fake:fault=500', seq: 1, created_at: at },
      { type: 'assistant_message', content: '', status: 'error', seq: 2, created_at: at },
    ];
    expect(await ask(earlier, 'what did I just ask?')).toBe('Your previous message was: "fake:fault=500"');
  });
});

describe('arithmetic', () => {
  it('hands the calculator an exponent as written: fact(1e9), not fact(1)', async () => {
    const events = await collect(turnAfter([], 'what is fact(1e9)?'));
    expect(events.filter((event) => event.type === 'tool_call')).toStrictEqual([
      { type: 'tool_call', callId: 'offline-2-0', name: 'calculator', arguments: { expression: 'fact(1e9)' } },
    ]);
    expect(events.find((event) => event.type === 'tool_result')).toMatchObject({
      error: 'factorial is defined here for whole numbers from 0 to 170, got 1000000000, at position 1',
    });
  });
});
