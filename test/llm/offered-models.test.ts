import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config.js';
import { modelsToTry, offeredModels } from '../../src/llm/offered-models.js';
import { parseModelChoices } from '../../src/model-choices-setting.js';

describe('LLM_MODELS', () => {
  it('reads provider:model entries in order, keeping tags after the first colon and counting repeats once', () => {
    expect(parseModelChoices(' openai:gpt-4o-mini, gemini:gemini-2.0-flash ,offline:offline,openai:llama3.2:3b,openai:gpt-4o-mini')).toStrictEqual({
      choices: [
        { provider: 'openai', model: 'gpt-4o-mini' },
        { provider: 'gemini', model: 'gemini-2.0-flash' },
        { provider: 'offline', model: 'offline' },
        { provider: 'openai', model: 'llama3.2:3b' },
      ],
    });
  });

  it('refuses an entry without a known provider or a model name, saying which', () => {
    expect(parseModelChoices('gpt-4o-mini')).toStrictEqual({ problem: expect.stringContaining('"gpt-4o-mini" does not start with a provider') as unknown });
    expect(parseModelChoices('anthropic:claude')).toStrictEqual({ problem: expect.stringContaining('"anthropic:claude"') as unknown });
    expect(parseModelChoices('openai:')).toStrictEqual({ problem: expect.stringContaining('needs a model name') as unknown });
    expect(parseModelChoices('openai:two words')).toStrictEqual({ problem: expect.stringContaining('without spaces') as unknown });
    expect(parseModelChoices(' , ')).toStrictEqual({ problem: expect.stringContaining('at least one') as unknown });
  });

  it('stops the server with one line naming the setting when it is wrong', () => {
    expect(() => loadSettings({ LLM_MODELS: 'openai:gpt-4o-mini,claude' })).toThrow(/^Invalid setting: LLM_MODELS="openai:gpt-4o-mini,claude": "claude" does not start with a provider/);
  });

  it('offers the configured model and the fallbacks when unset, and the list when set, the default first', () => {
    expect(offeredModels(loadSettings({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1', OPENAI_MODEL: 'llama3', LLM_FALLBACK: 'offline' }))).toStrictEqual([
      { id: 'openai:llama3', provider: 'openai', model: 'llama3' },
      { id: 'offline:parley-offline', provider: 'offline', model: 'parley-offline' },
    ]);
    expect(offeredModels(loadSettings({}))).toStrictEqual([{ id: 'offline:parley-offline', provider: 'offline', model: 'parley-offline' }]);
    expect(offeredModels(loadSettings({ LLM_MODELS: 'gemini:gemini-2.0-flash,offline:offline' })).map((model) => model.id)).toStrictEqual([
      'gemini:gemini-2.0-flash',
      'offline:offline',
    ]);
  });

  it('falls back from a pick along LLM_FALLBACK, never trying one model twice', () => {
    const settings = loadSettings({ LLM_MODELS: 'openai:gpt-4o-mini,offline:parley-offline', LLM_FALLBACK: 'offline' });
    const [first, second] = offeredModels(settings);
    expect(modelsToTry(settings, first!).map((model) => model.id)).toStrictEqual(['openai:gpt-4o-mini', 'offline:parley-offline']);
    expect(modelsToTry(settings, second!).map((model) => model.id)).toStrictEqual(['offline:parley-offline']);
  });
});
