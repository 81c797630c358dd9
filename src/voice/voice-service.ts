import { ParleyError } from '../errors/index.js';

/** Which speech service a call goes to, to name it and its settings in a refusal. */
export interface VoiceServiceLabel {
  /** `transcription` or `speech`. */
  service: string;
  /** The settings an operator would fix: STT_* or TTS_*. */
  settingPrefix: string;
}

/** Limits on one call: the whole call (answer read included) and the answer's size. */
export interface VoiceCallLimits {
  timeoutMs: number;
  maxAnswerBytes: number;
  /** Aborts when the client went away. */
  signal?: AbortSignal | undefined;
}

/**
 * POSTs to an OpenAI-compatible audio endpoint and reads its whole answer, within the time
 * and size limits. Every failure becomes a ParleyError whose message names the setting to
 * check and never repeats the service's own words, which may quote the key it was sent.
 */
export async function callVoiceService(url: string, init: RequestInit, label: VoiceServiceLabel, limits: VoiceCallLimits): Promise<{ bytes: Uint8Array; contentType: string }> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = limits.signal ? AbortSignal.any([timeout, limits.signal]) : timeout;
  try {
    const response = await fetch(url, { ...init, method: 'POST', signal, redirect: 'error' });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw refusal(response, label);
    }
    const bytes = await readAtMost(response, limits.maxAnswerBytes, label);
    return { bytes, contentType: response.headers.get('content-type') ?? '' };
  } catch (error) {
    if (error instanceof ParleyError) throw error;
    if (timeout.aborted) {
      throw new ParleyError('voice_timeout', `The ${label.service} service did not answer within ${limits.timeoutMs} ms (VOICE_TIMEOUT_MS).`, { cause: error });
    }
    throw new ParleyError('voice_error', `The ${label.service} service could not be reached (${label.settingPrefix}_BASE_URL).`, { cause: error });
  }
}

function refusal(response: Response, { service, settingPrefix }: VoiceServiceLabel): ParleyError {
  const status = response.status;
  if (status === 401 || status === 403) {
    return new ParleyError('voice_error', `The ${service} service refused the API key (HTTP ${status}): set a valid ${settingPrefix}_API_KEY.`);
  }
  if (status === 404) {
    return new ParleyError('voice_error', `The ${service} service answered 404: check ${settingPrefix}_BASE_URL (it ends in /v1) and ${settingPrefix}_MODEL.`);
  }
  if (status === 429) {
    const seconds = Number(response.headers.get('retry-after'));
    const retryAfterSeconds = Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 5;
    return new ParleyError('rate_limited', `The ${service} service is rate limiting; retry in ${retryAfterSeconds} s.`, { retryAfterSeconds });
  }
  return new ParleyError('voice_error', `The ${service} service failed (HTTP ${status}).`);
}

/** The answer's bytes, refused as soon as they pass `maxBytes` (the rest is not read). */
async function readAtMost(response: Response, maxBytes: number, { service }: VoiceServiceLabel): Promise<Uint8Array> {
  const tooLarge = () => new ParleyError('voice_error', `The ${service} service answered more than ${maxBytes} bytes.`);
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (response.body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
