import { connectionError, failedStatusError } from './openai-call-errors.js';

export interface ChatCompletionPost {
  body: object;
  signal?: AbortSignal | undefined;
  /** Per-call headers (the AI SDK's `headers` option); an undefined or null value removes that header. */
  headers?: Record<string, string | undefined> | undefined;
}

/**
 * POSTs chat completion requests to one OpenAI-compatible server with `fetch`, as the bare
 * relay does, and returns the response once its status says it succeeded. A failure is
 * thrown as the AI SDK's APICallError (openai-call-errors.ts), the error family every
 * provider's failures are classified in; a cancel is thrown as it came. The `openai`
 * client's own request path built its headers, a debug log's request details, an
 * AbortController and a timeout per call: 60-110 µs more CPU per request than this
 * (bench/provider-cost.ts --tokens 1), paid 1,000 times at once when 1,000 sessions start
 * their turns.
 */
export function chatCompletionPoster(options: { url: string; apiKey?: string | undefined }) {
  const { url } = options;
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/json',
    'user-agent': 'Parley',
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
  };

  return async function post({ body, signal, headers: extra }: ChatCompletionPost): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers: extra ? withExtra(headers, extra) : headers, body: JSON.stringify(body), ...(signal ? { signal } : {}) });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw connectionError({ url, body }, error);
    }
    if (response.ok) return response;
    const text = await response.text().catch((error: unknown) => String(error));
    throw failedStatusError({ url, body }, { status: response.status, headers: response.headers, text });
  };
}

function withExtra(headers: Record<string, string>, extra: Record<string, string | undefined>): Record<string, string> {
  const merged = { ...headers };
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined || value === null) delete merged[name.toLowerCase()];
    else merged[name.toLowerCase()] = value;
  }
  return merged;
}
