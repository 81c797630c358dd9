import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3GenerateResult } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { createOfflineModel } from '../../src/llm/offline/offline-model.js';
import { extractiveSummary, summarizeConversation, summaryInstruction } from '../../src/llm/summarize.js';
import type { HistoryItem } from '../../src/protocol/index.js';
import { RecordingLogger } from '../fakes/recording-logger.js';
import { twoTurnHistory, twoTurnSummary } from './summarize-fixtures.js';

/** A test model that answers every call with `answer` and remembers what it was asked. */
function scriptedModel(answer: (options: LanguageModelV3CallOptions) => PromiseLike<LanguageModelV3GenerateResult>) {
  const calls: LanguageModelV3CallOptions[] = [];
  const model: LanguageModelV3 = {
    specificationVersion: 'v3',
    provider: 'test',
    modelId: 'scripted',
    supportedUrls: {},
    doGenerate: (options) => {
      calls.push(options);
      return answer(options);
    },
    doStream: () => Promise.reject(new Error('summaries do not stream')),
  };
  return { model, calls };
}

function textResult(text: string): LanguageModelV3GenerateResult {
  return {
    content: text.length > 0 ? [{ type: 'text', text }] : [],
    finishReason: { unified: 'stop', raw: 'stop' },
    usage: {
      inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: 1, text: 1, reasoning: undefined },
    },
    warnings: [],
  };
}

describe('summarizeConversation', () => {
  it('gets the summary from the offline model, with no network', async () => {
    const logger = new RecordingLogger();
    const result = await summarizeConversation({ model: createOfflineModel({ tokenDelayMs: 1_000 }), history: twoTurnHistory, logger });
    expect(result).toStrictEqual({ summary: twoTurnSummary, method: 'model' });
    expect(logger.lines).toStrictEqual([]);
  });

  it('asks the model once, with the summary instruction and the transcript', async () => {
    const { model, calls } = scriptedModel(() => Promise.resolve(textResult('  The user did arithmetic and looked up Japan.  ')));

    const result = await summarizeConversation({ model, history: twoTurnHistory, logger: new RecordingLogger() });

    expect(result).toStrictEqual({ summary: 'The user did arithmetic and looked up Japan.', method: 'model' });
    expect(calls).toHaveLength(1);
    const [system, user] = calls[0]!.prompt;
    expect(system?.role === 'system' && system.content.startsWith(summaryInstruction)).toBe(true);
    expect(system?.role === 'system' && system.content).toMatch(/2 to 4 plain sentences/);
    expect(user?.content).toStrictEqual([
      {
        type: 'text',
        text: [
          'Summarize this conversation.',
          '',
          '<transcript>',
          'User: what is 12*(3+4)?',
          'Tool call calculator: {"expression":"12*(3+4)"}',
          'Tool result calculator: 84',
          "Assistant: 12*(3+4) = 84. I'm Parley's offline model: I run inside the server and need no network.",
          'User: fetch data about Japan',
          'Tool call fetch_data: {"source":"sample","query":"Japan"}',
          'Tool result fetch_data: 2 records: city: Tokyo, country: Japan; city: Osaka, country: Japan',
          'Assistant (cancelled): I found 2 records for "Japan" (sample data, not live figures): - city: Tokyo',
          '</transcript>',
        ].join('\n'),
      },
    ]);
  });

  it('falls back to the extractive summary when the model throws, and logs the error', async () => {
    const refused = new Error('connection refused');
    const { model, calls } = scriptedModel(() => Promise.reject(refused));
    const logger = new RecordingLogger();
    const result = await summarizeConversation({ model, history: twoTurnHistory, logger });
    expect(result).toStrictEqual({ summary: twoTurnSummary, method: 'extractive' });
    expect(calls).toHaveLength(1);
    expect(logger.lines).toStrictEqual([{ level: 'warn', fields: { err: refused }, message: 'summary model failed; using the extractive summary' }]);
  });

  it('falls back to the extractive summary when the model returns no text, and logs it', async () => {
    const { model } = scriptedModel(() => Promise.resolve(textResult('')));
    const logger = new RecordingLogger();
    expect(await summarizeConversation({ model, history: twoTurnHistory, logger })).toStrictEqual({ summary: twoTurnSummary, method: 'extractive' });
    expect(logger.lines).toStrictEqual([
      { level: 'warn', fields: { finishReason: 'stop' }, message: 'summary model gave no text; using the extractive summary' },
    ]);
  });

  it('gives up on a model that does not answer within the time limit, and logs it', async () => {
    const aborted = new Error('the call was aborted');
    const { model } = scriptedModel(
      (options) =>
        new Promise((_, reject) => {
          options.abortSignal?.addEventListener('abort', () => reject(aborted), { once: true });
        }),
    );
    const logger = new RecordingLogger();
    const result = await summarizeConversation({ model, history: twoTurnHistory, timeoutMs: 20, logger });
    expect(result).toStrictEqual({ summary: twoTurnSummary, method: 'extractive' });
    expect(logger.lines).toStrictEqual([{ level: 'warn', fields: { err: aborted }, message: 'summary model failed; using the extractive summary' }]);
  });

  it('says no messages were exchanged for an empty conversation, without calling the model', async () => {
    const { model, calls } = scriptedModel(() => Promise.resolve(textResult('should not be used')));
    const logger = new RecordingLogger();
    expect(await summarizeConversation({ model, history: [], logger })).toStrictEqual({ summary: 'No messages were exchanged.', method: 'extractive' });
    expect(calls).toHaveLength(0);
    expect(logger.lines).toStrictEqual([]);
    expect(extractiveSummary([])).toBe('No messages were exchanged.');
  });
});

describe('extractiveSummary', () => {
  const at = '2025-01-01T00:00:00.000Z';

  it('quotes a single question and the opening of its answer', () => {
    const history: HistoryItem[] = [
      { type: 'user_message', content: 'hello', seq: 1, created_at: at },
      { type: 'assistant_message', content: 'Hello! How can I help?\n\nMore text here.', status: 'complete', seq: 2, created_at: at },
    ];
    expect(extractiveSummary(history)).toBe('The user asked: "hello". The last answer was: "Hello! How can I help?"');
  });

  it('counts many messages and reports failed tools and a missing answer', () => {
    const history: HistoryItem[] = [
      { type: 'user_message', content: 'one', seq: 1, created_at: at },
      { type: 'assistant_message', content: 'First.', status: 'complete', seq: 2, created_at: at },
      { type: 'user_message', content: 'two', seq: 3, created_at: at },
      { type: 'assistant_message', content: 'Second.', status: 'complete', seq: 4, created_at: at },
      { type: 'user_message', content: 'what is 1/0?', seq: 5, created_at: at },
      { type: 'tool_call', call_id: 'c', name: 'calculator', arguments: { expression: '1/0' }, seq: 6, created_at: at },
      { type: 'tool_result', call_id: 'c', name: 'calculator', error: 'division by zero', seq: 7, created_at: at },
    ];
    expect(extractiveSummary(history)).toBe(
      'The user sent 3 messages, from "one" to "what is 1/0?" Tools: calculator(1/0) failed (division by zero). ' +
        'The last message got no answer.',
    );
  });
});
