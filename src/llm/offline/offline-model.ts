import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3FinishReason,
  LanguageModelV3StreamPart,
} from '@ai-sdk/provider';
import { estimateModelUsage } from '../estimate-usage.js';
import { pacedStream, type PacedPart } from './paced-stream.js';
import { planReply, type Reply } from './plan-reply.js';
import { readPrompt } from './read-prompt.js';
import { splitIntoPieces } from './split-into-pieces.js';

export interface OfflineModelOptions {
  /** Pause between streamed pieces, so the offline model streams like a remote one. */
  tokenDelayMs: number;
}

/**
 * Parley's built-in model, written against the AI SDK provider spec (LanguageModelV3): no
 * network, deterministic, streams word by word and calls the calculator and fetch_data tools.
 */
export function createOfflineModel({ tokenDelayMs }: OfflineModelOptions): LanguageModelV3 {
  return {
    specificationVersion: 'v3',
    provider: 'parley.offline',
    modelId: 'parley-offline',
    supportedUrls: {},

    // Each call's work runs in a promise executor, so a call already aborted rejects, as the spec expects.
    doGenerate: (options) =>
      new Promise((resolve) => {
        options.abortSignal?.throwIfAborted();
        const { reply, inputCharacters } = plan(options);
        const content: LanguageModelV3Content[] =
          reply.kind === 'text'
            ? [{ type: 'text', text: reply.text }]
            : reply.calls.map((call) => ({ type: 'tool-call', toolCallId: call.toolCallId, toolName: call.toolName, input: JSON.stringify(call.input) }));
        resolve({
          content,
          finishReason: finishReasonOf(reply),
          usage: estimateModelUsage(inputCharacters, outputCharacters(reply)),
          warnings: [],
        });
      }),

    doStream: (options) =>
      new Promise((resolve) => {
        options.abortSignal?.throwIfAborted();
        const { reply, inputCharacters } = plan(options);
        resolve({ stream: pacedStream(streamParts(reply, inputCharacters), { delayMs: tokenDelayMs, signal: options.abortSignal }) });
      }),
  };
}

function plan(options: LanguageModelV3CallOptions): { reply: Reply; inputCharacters: number } {
  const conversation = readPrompt(options.prompt);
  const offeredTools = new Set(
    options.toolChoice?.type === 'none' ? [] : (options.tools ?? []).filter((tool) => tool.type === 'function').map((tool) => tool.name),
  );
  return { reply: planReply(conversation, offeredTools), inputCharacters: conversation.characterCount };
}

function streamParts(reply: Reply, inputCharacters: number): Array<PacedPart<LanguageModelV3StreamPart>> {
  const parts: Array<PacedPart<LanguageModelV3StreamPart>> = [{ part: { type: 'stream-start', warnings: [] }, paced: false }];
  if (reply.kind === 'text') {
    const id = 'text-0';
    parts.push({ part: { type: 'text-start', id }, paced: false });
    for (const piece of splitIntoPieces(reply.text)) parts.push({ part: { type: 'text-delta', id, delta: piece }, paced: true });
    parts.push({ part: { type: 'text-end', id }, paced: false });
  } else {
    for (const call of reply.calls) {
      parts.push({
        part: { type: 'tool-call', toolCallId: call.toolCallId, toolName: call.toolName, input: JSON.stringify(call.input) },
        paced: true,
      });
    }
  }
  parts.push({
    part: { type: 'finish', finishReason: finishReasonOf(reply), usage: estimateModelUsage(inputCharacters, outputCharacters(reply)) },
    paced: false,
  });
  return parts;
}

function finishReasonOf(reply: Reply): LanguageModelV3FinishReason {
  return reply.kind === 'text' ? { unified: 'stop', raw: 'stop' } : { unified: 'tool-calls', raw: 'tool-calls' };
}

function outputCharacters(reply: Reply): number {
  return reply.kind === 'text'
    ? reply.text.length
    : reply.calls.reduce((sum, call) => sum + call.toolName.length + JSON.stringify(call.input).length, 0);
}
