import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { generateText } from 'ai';
import { describe, expect, it } from 'vitest';
import { createOfflineModel } from '../../../src/llm/offline/offline-model.js';
import { capabilities, configureHint, firstTurnNote, offlineIntro } from '../../../src/llm/offline/offline-texts.js';
import { runOffline, textOf } from './stream-helpers.js';
import { createBrokenDataToolRegistry } from './test-tool-registry.js';

const calculatorFunction = {
  type: 'function' as const,
  name: 'calculator',
  inputSchema: { type: 'object' as const, properties: { expression: { type: 'string' as const } } },
};

async function readAll<T>(stream: ReadableStream<T>): Promise<T[]> {
  const parts: T[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

describe('the offline model as an AI SDK provider', () => {
  it('streams its answer a word at a time, in order, and finishes with stop', async () => {
    const parts = await runOffline('who are you?');

    expect(parts).toStrictEqual([
      ...`${offlineIntro} ${capabilities} ${configureHint}`.match(/\s*\S+\s*/g)!.map((text) => ({ type: 'text', text })),
      { type: 'finish-step', finishReason: 'stop' },
      { type: 'finish', finishReason: 'stop' },
    ]);
    expect(parts.slice(0, 4)).toStrictEqual([
      { type: 'text', text: "I'm " },
      { type: 'text', text: "Parley's " },
      { type: 'text', text: 'offline ' },
      { type: 'text', text: 'model: ' },
    ]);
  });

  it('speaks the V3 stream protocol: stream-start, text blocks, a JSON tool-call input and a usage estimate', async () => {
    const model = createOfflineModel({ tokenDelayMs: 0 });
    const { stream } = await model.doStream({
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'what is 2+2?' }] }],
      tools: [calculatorFunction],
    });

    expect(await readAll(stream)).toStrictEqual<LanguageModelV3StreamPart[]>([
      { type: 'stream-start', warnings: [] },
      { type: 'tool-call', toolCallId: 'offline-1-0', toolName: 'calculator', input: '{"expression":"2+2"}' },
      {
        type: 'finish',
        finishReason: { unified: 'tool-calls', raw: 'tool-calls' },
        usage: {
          // "what is 2+2?" is 12 characters; the call is "calculator" plus its 20-character input.
          inputTokens: { total: 3, noCache: 3, cacheRead: undefined, cacheWrite: undefined },
          outputTokens: { total: 8, text: 8, reasoning: undefined },
        },
      },
    ]);
  });

  it('answers the same prompt with the same parts every time', async () => {
    const first = await runOffline('what is 12*(3+4)? and fetch data about Tokyo');
    const second = await runOffline('what is 12*(3+4)? and fetch data about Tokyo');
    expect(second).toStrictEqual(first);
  });

  it('works through generateText too, without streaming', async () => {
    const result = await generateText({ model: createOfflineModel({ tokenDelayMs: 1_000 }), prompt: 'who are you?' });
    expect(result.text).toBe(`${offlineIntro} ${capabilities} ${configureHint}`);
    expect(result.finishReason).toBe('stop');
    expect(result.usage.inputTokens).toBe(3);
  });
});

describe('tools', () => {
  it('calls the calculator with the expression from the message, then answers with its result', async () => {
    const parts = await runOffline('what is 12*(3+4)?');

    expect(parts.filter((part) => part.type !== 'text')).toStrictEqual([
      { type: 'tool-call', toolName: 'calculator', input: { expression: '12*(3+4)' } },
      { type: 'tool-result', toolName: 'calculator', output: { expression: '12*(3+4)', result: 84 } },
      { type: 'finish-step', finishReason: 'tool-calls' },
      { type: 'finish-step', finishReason: 'stop' },
      { type: 'finish', finishReason: 'stop' },
    ]);
    expect(textOf(parts)).toBe(`12*(3+4) = 84.\n\n${firstTurnNote}`);
  });

  it('hands functions and powers to the calculator as written', async () => {
    const parts = await runOffline('calculate sqrt(16) + 2^10');
    expect(parts[0]).toStrictEqual({ type: 'tool-call', toolName: 'calculator', input: { expression: 'sqrt(16) + 2^10' } });
    expect(textOf(parts)).toMatch(/^sqrt\(16\) \+ 2\^10 = 1028\./);
  });

  it('says the calculator failed, with its error text', async () => {
    const parts = await runOffline('how much is 1/0');
    expect(parts[1]?.type).toBe('tool-error');
    const error = parts[1]?.type === 'tool-error' ? parts[1].error : '';
    expect(textOf(parts)).toBe(`The calculator could not work out 1/0: ${error}\n\n${firstTurnNote}`);
  });

  it('fetches sample data about the subject and lists the records, saying they are sample data', async () => {
    const parts = await runOffline('fetch data about Japan');

    expect(parts[0]).toStrictEqual({ type: 'tool-call', toolName: 'fetch_data', input: { source: 'sample', query: 'Japan', limit: 10 } });
    expect(textOf(parts)).toBe(
      [
        'I found 2 records for "Japan" (sample data, not live figures):',
        '- name: Tokyo, country: Japan, population: 14000000, timezone: Asia/Tokyo, sample_weather.condition: partly cloudy, sample_weather.temperature_c: 18',
        '- name: Osaka, country: Japan, population: 2750000, timezone: Asia/Tokyo, sample_weather.condition: rainy, sample_weather.temperature_c: 17',
        '',
        firstTurnNote,
      ].join('\n'),
    );
  });

  it('says plainly when a data lookup fails', async () => {
    const parts = await runOffline('look up the weather in Paris', { tools: createBrokenDataToolRegistry() });
    expect(textOf(parts)).toBe(`The data lookup for "Paris" failed: fetch_data failed: the sample source is unreachable\n\n${firstTurnNote}`);
  });

  it('does not pass off fallback records as a match when nothing matched', async () => {
    const text = textOf(await runOffline('show me records for Atlantis'));
    expect(text.split('\n')[0]).toBe('No records matched "Atlantis" (sample data, not live figures). The source has records like these:');
    expect(text).toContain('- ...and 20 more');
  });

  it('calls both tools in one step when a message asks for arithmetic and data', async () => {
    const parts = await runOffline('what is 12*(3+4)? and look up the weather in Paris');

    expect(parts.filter((part) => part.type !== 'text')).toStrictEqual([
      { type: 'tool-call', toolName: 'calculator', input: { expression: '12*(3+4)' } },
      { type: 'tool-call', toolName: 'fetch_data', input: { source: 'sample', query: 'Paris', limit: 10 } },
      { type: 'tool-result', toolName: 'calculator', output: { expression: '12*(3+4)', result: 84 } },
      {
        type: 'tool-result',
        toolName: 'fetch_data',
        output: {
          source: 'sample',
          sample_data: true,
          note: 'Sample data built into Parley for demonstration, not live: populations are approximate and the weather is made up.',
          total: 1,
          query_matched: true,
          records: [
            {
              id: 'paris',
              name: 'Paris',
              country: 'France',
              population: 2_100_000,
              timezone: 'Europe/Paris',
              sample_weather: { condition: 'sunny', temperature_c: 19 },
            },
          ],
        },
      },
      { type: 'finish-step', finishReason: 'tool-calls' },
      { type: 'finish-step', finishReason: 'stop' },
      { type: 'finish', finishReason: 'stop' },
    ]);
    expect(textOf(parts)).toBe(
      '12*(3+4) = 84.\n\nI found 1 record for "Paris" (sample data, not live figures):\n' +
        '- name: Paris, country: France, population: 2100000, timezone: Europe/Paris, sample_weather.condition: sunny, sample_weather.temperature_c: 19' +
        `\n\n${firstTurnNote}`,
    );
  });

  it('says a tool is unavailable rather than calling one it was not offered', async () => {
    const parts = await runOffline('what is 2+2?', { tools: false });
    expect(textOf(parts)).toBe(`I would need the calculator tool for that, and it is not available right now.\n\n${firstTurnNote}`);
  });
});
