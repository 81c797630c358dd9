import type { LanguageModelV3, LanguageModelV3Prompt } from '@ai-sdk/provider';
import { wrapLanguageModel } from 'ai';

/** The value Google documents for function calls that Gemini did not sign itself. */
const unsignedCall = 'skip_thought_signature_validator';

/**
 * Gemini 3 wants a thought signature on every function call sent back to it. Calls made in
 * this turn carry Gemini's own; calls rebuilt from the event log have none, and get the
 * documented placeholder here rather than a warning from the SDK on every turn. Only the
 * Gemini model is wrapped: OpenAI-compatible servers would receive it as an unknown field.
 */
export function signReplayedGeminiCalls(model: LanguageModelV3): LanguageModelV3 {
  return wrapLanguageModel({
    model,
    middleware: {
      specificationVersion: 'v3',
      transformParams: ({ params }) => Promise.resolve({ ...params, prompt: withSignatures(params.prompt) }),
    },
  });
}

function withSignatures(prompt: LanguageModelV3Prompt): LanguageModelV3Prompt {
  return prompt.map((message) => {
    if (message.role !== 'assistant') return message;
    return {
      ...message,
      content: message.content.map((part) => {
        if (part.type !== 'tool-call' || part.providerOptions?.google?.thoughtSignature !== undefined) return part;
        return { ...part, providerOptions: { ...part.providerOptions, google: { ...part.providerOptions?.google, thoughtSignature: unsignedCall } } };
      }),
    };
  });
}
