import type { LanguageModel } from 'ai';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { chooseProvider, type ProviderName, type Settings } from '../config.js';
import { createOfflineModel } from './offline/offline-model.js';

/** A model ready to call, with the names the `session` frame and `/health` show (never a key). */
export interface SelectedModel {
  provider: ProviderName;
  modelId: string;
  model: LanguageModel;
}

export function createLanguageModel(settings: Settings, provider: ProviderName = chooseProvider(settings)): SelectedModel {
  switch (provider) {
    case 'gemini': {
      // Accept ids as Google lists them ("models/gemini-...") or bare.
      const modelId = settings.GEMINI_MODEL.replace(/^models\//, '');
      const google = createGoogleGenerativeAI({
        apiKey: settings.GEMINI_API_KEY ?? '',
        ...(settings.GEMINI_BASE_URL ? { baseURL: settings.GEMINI_BASE_URL } : {}),
      });
      return { provider, modelId, model: google(modelId) };
    }
    case 'openai': {
      const openai = createOpenAICompatible({
        name: 'openai',
        baseURL: settings.OPENAI_BASE_URL ?? 'https://api.openai.com/v1',
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
