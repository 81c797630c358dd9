import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3Content } from '@ai-sdk/provider';
import type { ChatCompletion, ChatCompletionMessage } from 'openai/resources/chat/completions';
import { streamOf, type StepModel, type StepReader } from '../model-step.js';
import { toFinishReason } from './map-openai-finish-reason.js';
import { toUsage } from './map-openai-usage.js';
import { chatChunksOf } from './chat-chunks-of.js';
import { readChatChunks } from './read-chat-chunks.js';
import { chatCompletionPoster } from './post-chat-completion.js';
import { SseDataReader } from './sse-data-reader.js';
import { toOpenAiRequest } from './to-openai-request.js';
import type { PdfInput } from './to-openai-user-content.js';

/** Some OpenAI-compatible servers (vLLM, DeepSeek) return the model's reasoning beside the content. */
type ReasoningMessage = ChatCompletionMessage & { reasoning_content?: string | null };

export interface OpenAiChatModelOptions {
  /** Up to and including `/v1`. */
  baseURL: string;
  /** None for local servers (Ollama, llama.cpp, LM Studio): no Authorization header is sent. */
  apiKey?: string | undefined;
  modelId: string;
  /** PDFs as `file` parts (OpenAI) or as their text (servers without them); text by default. */
  pdfInput?: PdfInput;
}

/**
 * An OpenAI-compatible chat model, as an AI SDK model plus `openStep` for the turn loop. The
 * request goes out with `fetch` (post-chat-completion.ts), a failure comes back as the AI
 * SDK's APICallError (openai-call-errors.ts), and the answer's SSE body is read by
 * sse-data-reader.ts, with no schema check per chunk, where `@ai-sdk/openai-compatible`
 * pipes each chunk through five Web Stream stages and zod (docs/architecture.md,
 * "Where Parley differs from DESIGN.md"). The `openai` package gives only types (a dev dependency).
 * Retries and timeouts are Parley's (resilient-model.ts).
 */
export function createOpenAiChatModel(options: OpenAiChatModelOptions): LanguageModelV3 & StepModel {
  const { baseURL, apiKey, modelId, pdfInput = 'text' } = options;
  const url = `${baseURL}/chat/completions`;
  const post = chatCompletionPoster({ url, apiKey });

  const openStep = async (callOptions: LanguageModelV3CallOptions): Promise<StepReader> => {
    const { body, warnings } = toOpenAiRequest(modelId, callOptions, pdfInput);
    const request = { ...body, stream: true as const, stream_options: { include_usage: true } };
    const response = await post({ body: request, signal: callOptions.abortSignal, headers: callOptions.headers });
    if (response.body === null) throw new Error('the model answered with no body');
    const events = new SseDataReader(response.body);
    const chunks = chatChunksOf(events, { url, body: request }, response.headers);
    return readChatChunks({ chunks, abort: () => void events.cancel(), warnings });
  };

  return {
    specificationVersion: 'v3',
    provider: 'openai.chat',
    modelId,
    supportedUrls: {},
    openStep,
    doStream: async (callOptions) => ({ stream: streamOf(await openStep(callOptions)) }),
    doGenerate: async (callOptions) => {
      const { body, warnings } = toOpenAiRequest(modelId, callOptions, pdfInput);
      const response = (await (await post({ body, signal: callOptions.abortSignal, headers: callOptions.headers })).json()) as ChatCompletion;
      const choice = response.choices[0];
      const message: ReasoningMessage | undefined = choice?.message;
      const content: LanguageModelV3Content[] = [];
      if (message?.reasoning_content) content.push({ type: 'reasoning', text: message.reasoning_content });
      if (message?.content) content.push({ type: 'text', text: message.content });
      if (message?.refusal) content.push({ type: 'text', text: message.refusal });
      for (const call of message?.tool_calls ?? []) {
        if (call.type === 'function') content.push({ type: 'tool-call', toolCallId: call.id, toolName: call.function.name, input: call.function.arguments });
      }
      return {
        content,
        finishReason: toFinishReason(choice?.finish_reason, Boolean(message?.refusal)),
        usage: toUsage(response.usage),
        warnings,
        request: { body },
      };
    },
  };
}
