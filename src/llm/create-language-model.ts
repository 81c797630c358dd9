import type { LanguageModelV3 } from '@ai-sdk/provider';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { chooseProvider, type ProviderName, type Settings } from '../config.js';
import { createOfflineModel } from './offline/offline-model.js';
import { signReplayedGeminiCalls } from './sign-replayed-gemini-calls.js';

/** A model ready to call, with the names the `session` frame and `/health` show (never a key). */
export interface SelectedModel {
  provider: ProviderName;
  modelId: string;
  model: LanguageModelV3;
}

const openAiDefaultBaseUrl = 'https://api.openai.com/v1';

/** The model for one provider as the settings describe it (CONTRACT.md names the settings). */
export function createLanguageModel(settings: Settings, provider: ProviderName = chooseProvider(settings)): SelectedModel {
  switch (provider) {
    case 'gemini': {
      const modelId = geminiModelId(settings.GEMINI_MODEL);
      const google = createGoogleGenerativeAI({
        apiKey: settings.GEMINI_API_KEY ?? '',
        ...(settings.GEMINI_BASE_URL ? { baseURL: withoutTrailingSlash(settings.GEMINI_BASE_URL) } : {}),
      });
      return { provider, modelId, model: signReplayedGeminiCalls(google(modelId)) };
    }
    case 'openai': {
      const openai = createOpenAICompatible({
        name: 'openai',
        baseURL: withoutTrailingSlash(settings.OPENAI_BASE_URL ?? openAiDefaultBaseUrl),
        // Local servers (Ollama, llama.cpp, LM Studio) need no key: send no Authorization header then.
        ...(settings.OPENAI_API_KEY ? { apiKey: settings.OPENAI_API_KEY } : {}),
        includeUsage: true,
      });
      return { provider, modelId: settings.OPENAI_MODEL, model: openai.chatModel(settings.OPENAI_MODEL) };
    }
    case 'offline':
      return {
        provider,
        modelId: 'parley-offline',
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
