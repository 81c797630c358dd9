import { chooseProvider, type ProviderName, type Settings } from '../config.js';
import { modelChoiceId, type ModelChoice } from '../model-choices-setting.js';
import { geminiModelId } from './create-language-model.js';

/** The provider chain: the chosen provider first, then LLM_FALLBACK in order, each once. */
export function providerChain(settings: Settings): ProviderName[] {
  return [...new Set([chooseProvider(settings), ...settings.LLM_FALLBACK])];
}

/** A model a session may answer with, as the `session` frame lists it. */
export interface OfferedModel {
  /** `provider:model`: what a `message` frame's `model` names, and what a session records. */
  id: string;
  provider: ProviderName;
  model: string;
}

/** The name a provider's configured model answers under (the offline model has one of its own). */
export function configuredModelName(settings: Settings, provider: ProviderName): string {
  switch (provider) {
    case 'gemini':
      return geminiModelId(settings.GEMINI_MODEL);
    case 'openai':
      return settings.OPENAI_MODEL;
    case 'offline':
      return 'parley-offline';
  }
}

/**
 * The models a user may pick, the default first: LLM_MODELS when set; otherwise the
 * configured model and LLM_FALLBACK's, since those are the models the server can run anyway.
 */
export function offeredModels(settings: Settings): OfferedModel[] {
  const choices: ModelChoice[] =
    settings.LLM_MODELS ?? providerChain(settings).map((provider) => ({ provider, model: configuredModelName(settings, provider) }));
  return choices.map((choice) => ({ id: modelChoiceId(choice), provider: choice.provider, model: choice.model }));
}

/**
 * The models a turn tries, in order: the session's pick, then LLM_FALLBACK's configured
 * models (each once), so a pick that cannot start falls back as the default does.
 */
export function modelsToTry(settings: Settings, picked: OfferedModel): OfferedModel[] {
  const fallbacks = settings.LLM_FALLBACK.map((provider) => {
    const model = configuredModelName(settings, provider);
    return { id: modelChoiceId({ provider, model }), provider, model };
  });
  const chain = [picked, ...fallbacks];
  return chain.filter((model, index) => chain.findIndex((other) => other.id === model.id) === index);
}
