import type { LanguageModelV3 } from '@ai-sdk/provider';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { chooseProvider, type ProviderName, type Settings } from '../config.js';
import type { StepModel } from './model-step.js';
import { createOfflineModel } from './offline/offline-model.js';
import { createOpenAiChatModel } from './openai/openai-chat-model.js';
import { resolvePdfInput } from './openai/to-openai-user-content.js';
import { signReplayedGeminiCalls } from './sign-replayed-gemini-calls.js';

/** A model ready to call, with the names the `session` frame and `/health` show (never a key). */
export interface SelectedModel {
  provider: ProviderName;
  modelId: string;
  /** An AI SDK model; the OpenAI one also reads steps without Web Streams (`openStep`). */
  model: LanguageModelV3 & Partial<StepModel>;
}

const openAiDefaultBaseUrl = 'https://api.openai.com/v1';

/** The model for one provider as the settings describe it (CONTRACT.md names the settings); `modelName` picks another of its models (LLM_MODELS). */
export function createLanguageModel(settings: Settings, provider: ProviderName = chooseProvider(settings), modelName?: string): SelectedModel {
  switch (provider) {
    case 'gemini': {
      const modelId = geminiModelId(modelName ?? settings.GEMINI_MODEL);
      const google = createGoogleGenerativeAI({
        apiKey: settings.GEMINI_API_KEY ?? '',
        ...(settings.GEMINI_BASE_URL ? { baseURL: withoutTrailingSlash(settings.GEMINI_BASE_URL) } : {}),
      });
      return { provider, modelId, model: signReplayedGeminiCalls(google(modelId)) };
    }
    case 'openai': {
      const baseURL = withoutTrailingSlash(settings.OPENAI_BASE_URL ?? openAiDefaultBaseUrl);
      const model = createOpenAiChatModel({
        baseURL,
        apiKey: settings.OPENAI_API_KEY,
        modelId: modelName ?? settings.OPENAI_MODEL,
        pdfInput: resolvePdfInput(settings.OPENAI_PDF_INPUT, baseURL),
      });
      return { provider, modelId: modelName ?? settings.OPENAI_MODEL, model };
    }
    case 'offline':
      return {
        provider,
        // LLM_MODELS may name it (offline:offline): a turn then reports that name.
        modelId: modelName ?? 'parley-offline',
        model: createOfflineModel({ tokenDelayMs: settings.OFFLINE_TOKEN_DELAY_MS }),
      };
  }
}

/** Accept ids as Google lists them ("models/gemini-...") or bare. */
export function geminiModelId(configured: string): string {
  return configured.trim().replace(/^models\//, '');
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
