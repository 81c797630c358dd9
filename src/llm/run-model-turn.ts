import type {
  LanguageModelV3Prompt,
  LanguageModelV3ToolCallPart,
  LanguageModelV3ToolResultOutput,
  LanguageModelV3ToolResultPart,
  SharedV3ProviderMetadata,
} from '@ai-sdk/provider';
import { toParleyError } from '../errors/index.js';
import type { FinishReason, HistoryItem } from '../protocol/index.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import type { AttachmentContent } from './attachment-content.js';
import { historyToPrompt } from './history-to-prompt.js';
import { isRecord } from './is-record.js';
import { mapFinishReason } from './map-finish-reason.js';
import type { StepModel, StepReader } from './model-step.js';
import { toJsonValue } from './to-json-value.js';
import { toProviderTools } from './to-provider-tools.js';
import type { TurnEvent } from './turn-event.js';

export interface ModelTurnRequest {
  model: StepModel;
  system: string;
  /** The conversation from the event log, the message to answer last. */
  history: readonly HistoryItem[];
  /** The loaded contents of the attachments the request carries, by file id. */
  attachments?: ReadonlyMap<string, AttachmentContent>;
  tools: ToolRegistry;
  maxSteps: number;
  signal: AbortSignal;
  /** Hears which model answers each step (a fallback may answer instead of the configured one). */
  onModel?: (modelId: string) => void;
}

interface StepCall {
  toolCallId: string;
  toolName: string;
  input: unknown;
  providerMetadata?: SharedV3ProviderMetadata;
}

/**
 * Runs one assistant turn and yields vendor-neutral events. It reads each model step
 * directly and runs the tool loop itself (call, run the tools, send the results, up to
 * `maxSteps`), as `streamText` would: the profile showed `streamText`'s transform chain
 * costing more per token than all of Parley's own work (docs/architecture.md, "Where
 * Parley differs from DESIGN.md"). Retries, fallback and timeouts live in the model
 * (resilient-model.ts). A tool failure goes back to the model as an error result; a model
 * failure is thrown as a ParleyError.
 */
export async function* runModelTurn(request: ModelTurnRequest): AsyncGenerator<TurnEvent> {
  const prompt: LanguageModelV3Prompt = historyToPrompt(request.system, request.history, request.attachments);
  const tools = toProviderTools(request.tools);
  let promptTokens: number | undefined;
  let completionTokens: number | undefined;

  for (let step = 1; ; step += 1) {
    let reader: StepReader;
    try {
      reader = await request.model.openStep({
        prompt,
        ...(tools.length > 0 ? { tools, toolChoice: { type: 'auto' as const } } : {}),
        abortSignal: request.signal,
      });
    } catch (error) {
      // A cancel before the first token is no failure: the turn just ends.
      if (request.signal.aborted) return;
      throw toParleyError(error, 'llm_error');
    }
    if (reader.modelId !== undefined) request.onModel?.(reader.modelId);
    const calls: StepCall[] = [];
    let text = '';
    let finishReason: FinishReason = 'other';
    try {
      for (;;) {
        const { done, value: part } = await reader.read();
        if (done) break;
        switch (part.type) {
          case 'text-delta':
            if (part.delta.length > 0) {
              text += part.delta;
              yield { type: 'text', text: part.delta };
            }
            break;
          case 'tool-call': {
            const input = parseToolInput(part.input);
            calls.push({ toolCallId: part.toolCallId, toolName: part.toolName, input, ...(part.providerMetadata ? { providerMetadata: part.providerMetadata } : {}) });
            yield { type: 'tool_call', callId: part.toolCallId, name: part.toolName, arguments: isRecord(input) ? input : { input } };
            break;
          }
          case 'finish':
            finishReason = mapFinishReason(part.finishReason.unified);
            promptTokens = add(promptTokens, part.usage.inputTokens.total);
            completionTokens = add(completionTokens, part.usage.outputTokens.total);
            break;
          case 'error':
            if (request.signal.aborted) return;
            throw toParleyError(part.error, 'llm_error');
          default:
            break;
        }
      }
    } catch (error) {
      if (request.signal.aborted) return;
      throw toParleyError(error, 'llm_error');
    } finally {
      // On a cancel the consumer stops early: let the provider's stream (and its request) go.
      reader.cancel().catch(() => undefined);
    }

    const outcomes = await Promise.all(calls.map((call) => runTool(request.tools, call, request.signal)));
    // Cancelled while tools ran: their (aborted) results are nobody's news.
    if (request.signal.aborted) return;
    const results: LanguageModelV3ToolResultPart[] = [];
    for (const outcome of outcomes) {
      yield outcome.event;
      results.push(outcome.part);
    }
    if (calls.length === 0 || step >= request.maxSteps) {
      yield {
        type: 'finish',
        finishReason,
        usage: {
          ...(promptTokens === undefined ? {} : { promptTokens }),
          ...(completionTokens === undefined ? {} : { completionTokens }),
        },
      };
      return;
    }
    prompt.push({
      role: 'assistant',
      content: [
        ...(text.length > 0 ? [{ type: 'text' as const, text }] : []),
        ...calls.map((call): LanguageModelV3ToolCallPart => ({
          type: 'tool-call',
          toolCallId: call.toolCallId,
          toolName: call.toolName,
          input: call.input,
          // Gemini 3 wants its own thought signature back on the calls it made.
          ...(call.providerMetadata ? { providerOptions: call.providerMetadata } : {}),
        })),
      ],
    });
    prompt.push({ role: 'tool', content: results });
  }
}

async function runTool(registry: ToolRegistry, call: StepCall, signal: AbortSignal) {
  const startedAt = performance.now();
  let result: unknown;
  let output: LanguageModelV3ToolResultOutput;
  let error: string | undefined;
  try {
    result = await registry.run(call.toolName, call.input, signal);
    output = { type: 'json', value: toJsonValue(result) };
  } catch (thrown) {
    error = thrown instanceof Error ? thrown.message : String(thrown);
    output = { type: 'error-text', value: error };
  }
  const durationMs = Math.round((performance.now() - startedAt) * 10) / 10;
  const event: TurnEvent =
    error === undefined
      ? { type: 'tool_result', callId: call.toolCallId, name: call.toolName, result, durationMs }
      : { type: 'tool_result', callId: call.toolCallId, name: call.toolName, error, durationMs };
  const part: LanguageModelV3ToolResultPart = { type: 'tool-result', toolCallId: call.toolCallId, toolName: call.toolName, output };
  return { event, part };
}

/** Providers send tool input as JSON text; a model that sends broken JSON gets it back as an error. */
function parseToolInput(input: string): unknown {
  if (input.trim() === '') return {};
  try {
    return JSON.parse(input) as unknown;
  } catch {
    return { invalid_json: input };
  }
}

function add(total: number | undefined, value: number | undefined): number | undefined {
  return value === undefined ? total : (total ?? 0) + value;
}
