import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { APICallError } from '@ai-sdk/provider';
import { embedMany } from 'ai';
import type { Settings } from '../config.js';
import { toUnitLength } from '../stats/to-unit-length.js';
import { chatCompletionPoster } from './openai/post-chat-completion.js';
import type { TextEmbedder } from './text-embedder.js';

/**
 * Gemini's vectors are cut to this many dimensions (Matryoshka embeddings keep their meaning
 * when cut): a 3,072-dimension vector per message would take 12 KB and slow the cosine in SQL.
 */
const geminiDimensions = 768;
const openAiDefaultBaseUrl = 'https://api.openai.com/v1';

/** The configured provider's embedding endpoint (CONTRACT.md's provider settings, plus the *_EMBEDDING_MODEL ones). */
export function createProviderEmbedder(settings: Settings, provider: 'gemini' | 'openai'): TextEmbedder {
  return provider === 'gemini' ? geminiEmbedder(settings) : openAiEmbedder(settings);
}

function geminiEmbedder(settings: Settings): TextEmbedder {
  const google = createGoogleGenerativeAI({
    apiKey: settings.GEMINI_API_KEY ?? '',
    ...(settings.GEMINI_BASE_URL ? { baseURL: settings.GEMINI_BASE_URL.replace(/\/+$/, '') } : {}),
  });
  const modelId = settings.GEMINI_EMBEDDING_MODEL.replace(/^models\//, '');
  const model = google.embeddingModel(modelId);
  return {
    kind: 'gemini',
    model: `gemini:${modelId}:${geminiDimensions}`,
    batchSize: 32,
    minSimilarity: 0.55,
    async embed(texts, purpose, signal) {
      const { embeddings } = await embedMany({
        model,
        values: [...texts],
        maxRetries: 0,
        ...(signal ? { abortSignal: signal } : {}),
        providerOptions: {
          google: { outputDimensionality: geminiDimensions, taskType: purpose === 'query' ? 'RETRIEVAL_QUERY' : 'RETRIEVAL_DOCUMENT' },
        },
      });
      return embeddings.map(toUnitLength);
    },
    isRetryable,
  };
}

function openAiEmbedder(settings: Settings): TextEmbedder {
  const url = `${(settings.OPENAI_BASE_URL ?? openAiDefaultBaseUrl).replace(/\/+$/, '')}/embeddings`;
  const post = chatCompletionPoster({ url, apiKey: settings.OPENAI_API_KEY });
  const modelId = settings.OPENAI_EMBEDDING_MODEL;
  return {
    kind: 'openai',
    model: `openai:${modelId}`,
    batchSize: 32,
    minSimilarity: 0.3,
    async embed(texts, _purpose, signal) {
      const response = await post({ body: { model: modelId, input: [...texts], encoding_format: 'float' }, signal });
      const body = (await response.json()) as { data?: Array<{ index?: number; embedding?: unknown }> };
      const vectors = new Array<number[]>(texts.length);
      for (const [position, item] of (body.data ?? []).entries()) {
        const index = item.index ?? position;
        if (Array.isArray(item.embedding) && item.embedding.every((value) => typeof value === 'number')) vectors[index] = toUnitLength(item.embedding);
      }
      if (vectors.length !== texts.length || vectors.some((vector) => vector === undefined)) {
        throw new Error(`the embeddings endpoint answered ${body.data?.length ?? 0} vectors for ${texts.length} texts`);
      }
      return vectors;
    },
    isRetryable,
  };
}

/** A provider's own verdict (408, 409, 429, 5xx, no connection); anything else is lasting. */
function isRetryable(error: unknown): boolean {
  return APICallError.isInstance(error) ? error.isRetryable : false;
}
