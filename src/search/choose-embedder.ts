import { chooseProvider, type Settings } from '../config.js';
import { createProviderEmbedder } from '../llm/create-provider-embedder.js';
import type { TextEmbedder } from '../llm/text-embedder.js';
import { builtinEmbedder } from './builtin-embedder.js';

/** SEARCH_EMBEDDINGS: `auto` follows the model's provider, the offline model taking the built-in embedding. */
export function chooseEmbedder(settings: Settings): TextEmbedder | null {
  const mode = settings.SEARCH_EMBEDDINGS === 'auto' ? chooseProvider(settings) : settings.SEARCH_EMBEDDINGS;
  switch (mode) {
    case 'off':
      return null;
    case 'builtin':
    case 'offline':
      return builtinEmbedder;
    case 'gemini':
    case 'openai':
      return createProviderEmbedder(settings, mode);
  }
}
