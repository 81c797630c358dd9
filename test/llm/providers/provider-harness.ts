import { z } from 'zod';
import { loadSettings, type Settings } from '../../../src/config.js';
import { isParleyError, type ParleyError } from '../../../src/errors/index.js';
import { createModelRunner, type ModelRunner } from '../../../src/llm/model-runner.js';
import type { TurnEvent } from '../../../src/llm/turn-event.js';
import type { HistoryItem } from '../../../src/protocol/index.js';
import { ToolRegistry } from '../../../src/tools/tool-registry.js';
import { RecordingLogger } from '../../fakes/recording-logger.js';

/** Settings that name only what a test gives, never the developer's environment. */
export function testSettings(environment: Record<string, string>): Settings {
  return loadSettings({ LOG_LEVEL: 'silent', OFFLINE_TOKEN_DELAY_MS: '0', LLM_MAX_RETRIES: '2', ...environment });
}

export interface TestTools {
  registry: ToolRegistry;
  /** What the tools, and a runner built on them, logged. */
  logger: RecordingLogger;
  /** Signals the slow tool received, to check a cancel reached it. */
  slowToolSignals: AbortSignal[];
  /** Resolves when the slow tool starts. */
  slowToolStarted: Promise<void>;
}

/** What the `lookup` tool throws for the key "missing", as a crashing tool would. */
export const lookupFailure = new Error('no record "missing"');

export function testTools(): TestTools {
  const slowToolSignals: AbortSignal[] = [];
  let started!: () => void;
  const slowToolStarted = new Promise<void>((resolve) => (started = resolve));
  const logger = new RecordingLogger();
  const registry = new ToolRegistry({ logger, defaultTimeoutMs: 5_000 })
    .register({
      name: 'add',
      description: 'Adds two numbers.',
      parameters: z.object({ a: z.number(), b: z.number() }),
      execute: ({ a, b }: { a: number; b: number }) => Promise.resolve({ sum: a + b }),
    })
    .register({
      name: 'lookup',
      description: 'Looks up a record by key.',
      parameters: z.object({ key: z.string() }),
      execute: ({ key }: { key: string }) =>
        key === 'missing' ? Promise.reject(lookupFailure) : Promise.resolve({ key, value: `value of ${key}` }),
    })
    .register({
      name: 'slow',
      description: 'Takes its time.',
      parameters: z.object({}),
      execute: async (_: unknown, { signal }) => {
        slowToolSignals.push(signal);
        started();
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        return { finished: false };
      },
    });
  return { registry, logger, slowToolSignals, slowToolStarted };
}

export function runnerFor(settings: Settings, tools = testTools()): ModelRunner {
  return createModelRunner(settings, tools.registry, { logger: tools.logger, retry: { baseDelayMs: 20 } });
}

export interface TurnOutcome {
  events: TurnEvent[];
  error?: { code: ParleyError['code']; message: string };
}

/** Runs a turn to its end and keeps everything it produced, the error included. */
export async function runTurn(runner: ModelRunner, history: readonly HistoryItem[], signal = new AbortController().signal): Promise<TurnOutcome> {
  const events: TurnEvent[] = [];
  try {
    for await (const event of runner.runTurn({ history, signal })) events.push(event);
    return { events };
  } catch (error) {
    if (!isParleyError(error)) throw error;
    return { events, error: { code: error.code, message: error.message } };
  }
}

/** The events with each tool's duration set to 0: it is measured, so a test cannot know it. */
export function withoutDurations(events: readonly TurnEvent[]): TurnEvent[] {
  return events.map((event) => (event.type === 'tool_result' ? { ...event, durationMs: 0 } : event));
}

/** Text of the events, joined: what the user saw. */
export function textOf(events: readonly TurnEvent[]): string {
  return events.flatMap((event) => (event.type === 'text' ? [event.text] : [])).join('');
}

let seq = 0;
const at = '2026-01-01T00:00:00.000Z';
export const historyItem = {
  user: (content: string): HistoryItem => ({ type: 'user_message', content, seq: seq++, created_at: at }),
  assistant: (content: string, status: 'complete' | 'cancelled' | 'error' = 'complete'): HistoryItem => ({
    type: 'assistant_message',
    content,
    status,
    seq: seq++,
    created_at: at,
  }),
  toolCall: (callId: string, name: string, args: Record<string, unknown>): HistoryItem => ({
    type: 'tool_call',
    call_id: callId,
    name,
    arguments: args,
    seq: seq++,
    created_at: at,
  }),
  toolResult: (callId: string, name: string, outcome: { result?: unknown; error?: string }): HistoryItem => ({
    type: 'tool_result',
    call_id: callId,
    name,
    ...outcome,
    seq: seq++,
    created_at: at,
  }),
};
