import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3StreamPart } from '@ai-sdk/provider';

/**
 * One model call (one step of a turn), read a part at a time. A `ReadableStreamDefaultReader`
 * is one; Parley's resilient model returns its own, so that its timeouts and error mapping
 * add no Web Stream stage on the token path: a wrapping stream cost 45k instructions per
 * token (docs/architecture.md, "Measured choices on the hot path").
 */
export interface StepReader {
  read(): Promise<ReadResult<LanguageModelV3StreamPart>>;
  /** Stops reading and lets the provider's request go. */
  cancel(reason?: unknown): Promise<void>;
  /** The model answering this step: with LLM_FALLBACK it may not be the configured one. */
  modelId?: string;
}

/** What `ReadableStreamDefaultReader.read` resolves to. */
export type ReadResult<T> = { done: false; value: T } | { done: true; value?: T };

/** What the turn loop calls: start one step of the answer. */
export interface StepModel {
  openStep(options: LanguageModelV3CallOptions): Promise<StepReader>;
}

/** Starts a step: through the model's own `openStep` when it has one, else its `doStream`, read as it comes. */
export async function openStep(model: LanguageModelV3 & Partial<StepModel>, options: LanguageModelV3CallOptions): Promise<StepReader> {
  if (model.openStep) return model.openStep(options);
  return (await model.doStream(options)).stream.getReader();
}

/** Any AI SDK model as a StepModel (tests, plugins). */
export function stepsOf(model: LanguageModelV3 & Partial<StepModel>): StepModel {
  return { openStep: (options) => openStep(model, options) };
}

/** The spec's stream over a step, for callers that want one (`streamText`); the turn loop reads the step. */
export function streamOf(step: StepReader): ReadableStream<LanguageModelV3StreamPart> {
  return new ReadableStream({
    async pull(controller) {
      const next = await step.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel: (reason) => step.cancel(reason),
  });
}
