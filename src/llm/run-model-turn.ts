import { streamText, stepCountIs, type LanguageModel, type ModelMessage } from 'ai';
import { toParleyError } from '../errors/index.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import { mapFinishReason } from './map-finish-reason.js';
import { toAiSdkTools } from './to-ai-sdk-tools.js';
import type { TurnEvent, TurnUsage } from './turn-event.js';

export interface ModelTurnRequest {
  model: LanguageModel;
  system: string;
  messages: ModelMessage[];
  tools: ToolRegistry;
  maxSteps: number;
  signal: AbortSignal;
}

/**
 * Runs one assistant turn (several model steps when tools are called) and yields
 * vendor-neutral events. Cancellation is by `signal`; failures are thrown as ParleyError.
 * Retries, fallback and timeouts live in the model (resilient-model.ts), so the SDK's own
 * retries are off.
 */
export async function* runModelTurn(request: ModelTurnRequest): AsyncGenerator<TurnEvent> {
  const toolStartedAt = new Map<string, number>();
  const result = streamText({
    model: request.model,
    system: request.system,
    messages: request.messages,
    tools: toAiSdkTools(request.tools),
    stopWhen: stepCountIs(request.maxSteps),
    abortSignal: request.signal,
    maxRetries: 0,
    // Errors arrive as `error` parts below and become ParleyErrors; the SDK need not print them.
    onError: () => undefined,
  });

  for await (const part of result.fullStream) {
    switch (part.type) {
      case 'text-delta':
        if (part.text.length > 0) yield { type: 'text', text: part.text };
        break;
      case 'tool-call':
        toolStartedAt.set(part.toolCallId, performance.now());
        yield {
          type: 'tool_call',
          callId: part.toolCallId,
          name: part.toolName,
          arguments: asRecord(part.input),
        };
        break;
      case 'tool-result':
        yield {
          type: 'tool_result',
          callId: part.toolCallId,
          name: part.toolName,
          result: part.output,
          durationMs: elapsedSince(toolStartedAt.get(part.toolCallId)),
        };
        break;
      case 'tool-error':
        yield {
          type: 'tool_result',
          callId: part.toolCallId,
          name: part.toolName,
          error: part.error instanceof Error ? part.error.message : String(part.error),
          durationMs: elapsedSince(toolStartedAt.get(part.toolCallId)),
        };
        break;
      case 'error':
        if (request.signal.aborted) return;
        throw toParleyError(part.error, 'llm_error');
      case 'abort':
        return;
      case 'finish':
        yield { type: 'finish', finishReason: mapFinishReason(part.finishReason), usage: toUsage(part.totalUsage) };
        break;
      default:
        break;
    }
  }
}

function asRecord(input: unknown): Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : { input };
}

function elapsedSince(start: number | undefined): number {
  return start === undefined ? 0 : Math.round((performance.now() - start) * 10) / 10;
}

function toUsage(usage: { inputTokens: number | undefined; outputTokens: number | undefined }): TurnUsage {
  return {
    ...(usage.inputTokens === undefined ? {} : { promptTokens: usage.inputTokens }),
    ...(usage.outputTokens === undefined ? {} : { completionTokens: usage.outputTokens }),
  };
}
