import type { LanguageModelV3, LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { abortWith } from './abort-with.js';
import { firstThatStarts } from './fallback-chain.js';
import { classifyProviderError, ModelTimeoutError, type ProviderLabel } from './map-provider-error.js';
import { streamOf, type StepModel, type StepReader } from './model-step.js';
import { openModelStream, type StreamTimeouts } from './open-model-stream.js';
import { withRetries, type RetryPolicy } from './with-retries.js';

export interface ModelCandidate extends ProviderLabel {
  model: LanguageModelV3 & Partial<StepModel>;
}

export interface ResilienceOptions extends StreamTimeouts {
  retry: RetryPolicy;
}

/** A model for the turn loop (`openStep`) and for the AI SDK's own calls (summaries use `generateText`). */
export type ResilientModel = LanguageModelV3 & StepModel;

/**
 * One model, behind which each step (each model call of a turn) is
 * retried before its first token and falls back along the candidates; after the first
 * token a failure ends the step with a ParleyError. Doing this per step, below the turn loop,
 * means a retry never repeats a tool call or text of an earlier step.
 */
export function createResilientModel(candidates: readonly ModelCandidate[], options: ResilienceOptions): ResilientModel {
  const primary = candidates[0];
  if (primary === undefined) throw new Error('createResilientModel needs at least one model');

  const eachCandidate = <T>(signal: AbortSignal | undefined, attempt: (candidate: ModelCandidate) => Promise<T>) =>
    firstThatStarts(
      candidates,
      (candidate) =>
        withRetries(() => attempt(candidate), {
          policy: options.retry,
          signal,
          classify: (error) => classifyProviderError(error, candidate),
        }),
      { signal, name: (candidate) => `${candidate.provider} (${candidate.modelId})` },
    );

  const openStep = (callOptions: LanguageModelV3CallOptions): Promise<StepReader> =>
    eachCandidate(callOptions.abortSignal, async (candidate) =>
      Object.assign(await openModelStream(candidate.model, candidate, callOptions, options), { modelId: candidate.modelId }));

  return {
    openStep,
    specificationVersion: 'v3',
    provider: primary.provider,
    modelId: primary.modelId,
    supportedUrls: {},
    doStream: async (callOptions: LanguageModelV3CallOptions) => ({ stream: streamOf(await openStep(callOptions)) }),
    doGenerate: (callOptions: LanguageModelV3CallOptions) =>
      eachCandidate(callOptions.abortSignal, (candidate) => generateWithin(candidate.model, callOptions, options.firstTokenTimeoutMs)),
  };
}

/** A one-shot call (summaries) under the first-token limit. */
async function generateWithin(model: LanguageModelV3, callOptions: LanguageModelV3CallOptions, timeoutMs: number) {
  const request = new AbortController();
  const stopFollowing = abortWith(callOptions.abortSignal, request);
  const timer = setTimeout(() => request.abort(), timeoutMs);
  try {
    return await model.doGenerate({ ...callOptions, abortSignal: request.signal });
  } catch (error) {
    throw request.signal.aborted && !callOptions.abortSignal?.aborted ? new ModelTimeoutError('first-token', timeoutMs) : error;
  } finally {
    clearTimeout(timer);
    stopFollowing();
  }
}
