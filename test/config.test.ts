import { describe, expect, it } from 'vitest';
import { chooseProvider, loadSettings } from '../src/config.js';

describe('settings', () => {
  it('has working defaults with nothing set', () => {
    const settings = loadSettings({});
    expect(settings).toMatchObject({ PORT: 8000, HOST: '127.0.0.1', DATA_DIR: './data', FINALIZE_GRACE_MS: 5000 });
    expect(settings.DATABASE_URL).toBeUndefined();
    expect(chooseProvider(settings)).toBe('offline');
  });

  it('stops with one line naming the setting and what is allowed', () => {
    expect(() => loadSettings({ PORT: 'eighty' })).toThrow(/^Invalid setting: PORT="eighty": .+/);
    expect(() => loadSettings({ LLM_PROVIDER: 'claude' })).toThrow(/LLM_PROVIDER="claude".*gemini.*openai.*offline/);
    expect(() => loadSettings({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL="mysql:\/\/x": must start with postgres/);
    expect(() => loadSettings({ LLM_FALLBACK: 'openai,bard' })).toThrow(/LLM_FALLBACK=.*unknown provider "bard"/);
    expect(() => loadSettings({ PORT: '70000' })).toThrow(/PORT/);
  });

  it('chooses gemini when its key is set, else openai when its URL or key is set, else offline', () => {
    expect(chooseProvider(loadSettings({ GEMINI_API_KEY: 'k', OPENAI_API_KEY: 'o' }))).toBe('gemini');
    expect(chooseProvider(loadSettings({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }))).toBe('openai');
    expect(chooseProvider(loadSettings({ OPENAI_API_KEY: 'sk' }))).toBe('openai');
    expect(chooseProvider(loadSettings({ LLM_PROVIDER: 'offline', GEMINI_API_KEY: 'k' }))).toBe('offline');
  });

  it('treats empty values as unset, as a copied .env.example leaves them', () => {
    const settings = loadSettings({ DATABASE_URL: '', GEMINI_API_KEY: '', OPENAI_BASE_URL: '' });
    expect(settings.DATABASE_URL).toBeUndefined();
    expect(chooseProvider(settings)).toBe('offline');
  });

  it('reads ALLOWED_HOSTS as lower-case names and refuses a URL in it', () => {
    expect(loadSettings({ ALLOWED_HOSTS: 'Chat.Example.com, api.example.com,' }).ALLOWED_HOSTS).toStrictEqual(['chat.example.com', 'api.example.com']);
    expect(loadSettings({}).ALLOWED_HOSTS).toBeUndefined();
    expect(() => loadSettings({ ALLOWED_HOSTS: 'https://chat.example.com' })).toThrow(/ALLOWED_HOSTS=.*without scheme or path/);
  });

  it('lists every setting in .env.example', async () => {
    const { readFile } = await import('node:fs/promises');
    const { settingsSchema } = await import('../src/config.js');
    const example = await readFile(new URL('../.env.example', import.meta.url), 'utf8');
    for (const key of Object.keys(settingsSchema.shape)) expect(example).toMatch(new RegExp(`^#? ?${key}=`, 'm'));
  });
});
