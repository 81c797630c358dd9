import { z } from 'zod';
import { authSettingsShape } from './auth/auth-settings.js';
import { fileSettingsShape } from './files/file-settings.js';
import { pageSettingsShape } from './http/page-settings.js';
import { modelChoicesSetting } from './model-choices-setting.js';
import { commaList, integer, optionalText } from './setting-values.js';
import { toolNamePattern } from './tools/tool-name-filter.js';
import { voiceSettingsShape } from './voice/voice-settings.js';

const providerName = z.enum(['gemini', 'openai', 'offline']);

/**
 * Every setting, from the environment (and `.env`, loaded by main.ts). One schema: the
 * README's settings table and `.env.example` list exactly these keys.
 */
export const settingsSchema = z.object({
  PORT: integer(8000, 0, 65535),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  DATABASE_URL: optionalText.pipe(
    z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://').optional(),
  ),
  DATABASE_PREPARE: z
    .enum(['auto', 'true', 'false'])
    .default('auto'),
  DATABASE_POOL_SIZE: integer(10, 1, 1000),
  DATA_DIR: z.string().min(1).default('./data'),

  REDIS_URL: optionalText.pipe(z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional()),
  /** Every key and channel Parley uses in Redis starts with this, so deployments can share one Redis. */
  REDIS_KEY_PREFIX: z.string().min(1).max(64).default('parley:'),
  /** Processes on this machine behind the one PORT: a count, or `auto` for one per core. */
  WORKERS: optionalText.transform((value, context) => {
    if (value === undefined) return 1;
    if (value === 'auto') return 'auto' as const;
    if (!/^\d{1,3}$/.test(value) || Number(value) < 1) {
      context.addIssue({ code: 'custom', message: 'must be a count from 1, or auto (one per core)' });
      return z.NEVER;
    }
    return Number(value);
  }),

  LLM_PROVIDER: optionalText.pipe(providerName.optional()),
  LLM_FALLBACK: optionalText.transform((value, context) => {
    if (value === undefined) return [] as Array<z.infer<typeof providerName>>;
    const names = value.split(',').map((name) => name.trim()).filter(Boolean);
    for (const name of names) {
      if (!providerName.safeParse(name).success) {
        context.addIssue({ code: 'custom', message: `unknown provider "${name}"; allowed: gemini, openai, offline` });
        return z.NEVER;
      }
    }
    return names as Array<z.infer<typeof providerName>>;
  }),
  /** The models a user may pick per session, `provider:model,...`; unset: the configured one and LLM_FALLBACK's. */
  LLM_MODELS: modelChoicesSetting,
  GEMINI_API_KEY: optionalText,
  GEMINI_MODEL: z.string().min(1).default('gemini-3.5-flash'),
  GEMINI_BASE_URL: optionalText.pipe(z.url().optional()),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalText.pipe(z.url().optional()),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  /**
   * Search by meaning: `auto` uses the provider's embedding endpoint (the built-in embedding
   * with the offline model), `builtin` needs no provider, `off` keeps full text and typos only.
   */
  SEARCH_EMBEDDINGS: optionalText.pipe(z.enum(['auto', 'builtin', 'gemini', 'openai', 'off'], 'must be auto, builtin, gemini, openai or off').default('auto')),
  GEMINI_EMBEDDING_MODEL: z.string().min(1).default('gemini-embedding-001'),
  OPENAI_EMBEDDING_MODEL: z.string().min(1).default('text-embedding-3-small'),
  /** How PDFs reach an OpenAI-compatible server: as `file` parts, or as their text; auto: files for OpenAI's own API only. */
  OPENAI_PDF_INPUT: z.enum(['auto', 'file', 'text']).default('auto'),
  LLM_MAX_STEPS: integer(5, 1, 50),
  LLM_MAX_RETRIES: integer(2, 0, 10),
  LLM_FIRST_TOKEN_TIMEOUT_MS: integer(30_000, 100),
  LLM_IDLE_TIMEOUT_MS: integer(30_000, 100),
  CONTEXT_BUDGET_TOKENS: integer(24_000, 500),
  OFFLINE_TOKEN_DELAY_MS: integer(25, 0, 10_000),

  TOOL_TIMEOUT_MS: integer(5_000, 10, 120_000),
  /** MCP servers (stdio or Streamable HTTP) in the JSON shape MCP clients share. */
  TOOLS_FILE: optionalText,
  /** Tool names (or patterns with `*`) the model is offered; unset: all. */
  TOOLS_ALLOW: optionalText.transform((value, context) => (value === undefined ? undefined : toolNamePatterns(value, context))),
  /** Tool names (or patterns with `*`) never offered; wins over TOOLS_ALLOW. */
  TOOLS_DENY: optionalText.transform((value, context) => (value === undefined ? [] : toolNamePatterns(value, context))),

  FINALIZE_GRACE_MS: integer(5_000, 0),
  ACK_TIMEOUT_MS: integer(5_000, 50),
  SHUTDOWN_TIMEOUT_MS: integer(10_000, 0),

  MAX_FRAME_BYTES: integer(64 * 1024, 256, 16 * 1024 * 1024),
  MAX_MESSAGE_CHARS: integer(16_000, 1),
  WS_BUFFER_SOFT_BYTES: integer(256 * 1024, 1024),
  WS_BUFFER_HARD_BYTES: integer(4 * 1024 * 1024, 4096),
  RATE_LIMIT_MESSAGES_PER_MINUTE: integer(60, 0),
  RATE_LIMIT_HTTP_PER_MINUTE: integer(600, 0),
  /**
   * WebSocket upgrades per client address: this many at once, then this many a minute. The
   * default lets 1,000 clients behind one address reconnect together after a deploy, with
   * room for a retry each, and holds a flood to 50 a second.
   */
  RATE_LIMIT_CONNECTIONS_PER_MINUTE: integer(3_000, 0),
  /**
   * The Host header values served (DNS rebinding protection); loopback names always are.
   * Unset: loopback names and HOST, or any host when HOST binds every interface; `*`: any.
   */
  ALLOWED_HOSTS: optionalText.transform((value, context) => {
    if (value === undefined) return undefined;
    const hosts = value.split(',').map((host) => host.trim().toLowerCase()).filter(Boolean);
    const withScheme = hosts.find((host) => host.includes('/'));
    if (withScheme !== undefined) {
      context.addIssue({ code: 'custom', message: `"${withScheme}" is not a host name; list names such as chat.example.com, without scheme or path` });
      return z.NEVER;
    }
    return hosts;
  }),
  ...authSettingsShape,
  ...pageSettingsShape,
  ...fileSettingsShape,
  ...voiceSettingsShape,
});

function toolNamePatterns(value: string, context: z.RefinementCtx): string[] {
  const patterns = commaList(value);
  const bad = patterns.find((pattern) => !toolNamePattern.test(pattern));
  if (bad !== undefined) {
    context.addIssue({ code: 'custom', message: `"${bad}" is not a tool name; use letters, digits, "_", "-", "." and "*" (e.g. calculator,github__*)` });
    return [];
  }
  return patterns;
}

export type Settings = z.infer<typeof settingsSchema>;
export type ProviderName = z.infer<typeof providerName>;

export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** Settings whose value is a credential: a refusal names them but never repeats the value. */
const secretSettings = new Set(['API_TOKEN', 'AUTH_JWT_SECRET', 'GEMINI_API_KEY', 'OPENAI_API_KEY', 'STT_API_KEY', 'TTS_API_KEY']);

/** Parses the environment; a bad value throws one line naming the setting and what is allowed. */
export function loadSettings(environment: Record<string, string | undefined> = process.env): Settings {
  const result = settingsSchema.safeParse(environment);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? 'settings');
    const shown = secretSettings.has(key) ? `(${(environment[key] ?? '').length} characters, not shown)` : JSON.stringify(environment[key] ?? '');
    return `${key}=${shown}: ${issue.message}`;
  });
  throw new SettingsError(`Invalid setting: ${lines.join('; ')}`);
}

/** CONTRACT.md: gemini when its key is set, else openai when its URL or key is set, else offline. */
export function chooseProvider(settings: Settings): ProviderName {
  if (settings.LLM_PROVIDER) return settings.LLM_PROVIDER;
  if (settings.GEMINI_API_KEY) return 'gemini';
  if (settings.OPENAI_BASE_URL || settings.OPENAI_API_KEY) return 'openai';
  return 'offline';
}
