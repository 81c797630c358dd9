/** What a voice route answered: its status, content type, and body as JSON or bytes. */
export interface VoiceAnswer {
  status: number;
  contentType: string;
  json: Record<string, unknown> | null;
  bytes: Buffer;
}

/** Calls a voice route over real HTTP, as the page and other clients do. */
export async function callVoice(baseUrl: string, path: string, init: RequestInit & { token?: string } = {}): Promise<VoiceAnswer> {
  const { token, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
  const response = await fetch(`${baseUrl}${path}`, { ...rest, headers });
  const bytes = Buffer.from(await response.arrayBuffer());
  const contentType = response.headers.get('content-type') ?? '';
  let json: Record<string, unknown> | null = null;
  if (contentType.includes('json')) json = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  return { status: response.status, contentType, json, bytes };
}

/** Sends audio as the raw body of POST /api/transcribe. */
export function transcribe(baseUrl: string, audio: Uint8Array, token: string | undefined, contentType = 'audio/webm'): Promise<VoiceAnswer> {
  return callVoice(baseUrl, '/api/transcribe', { method: 'POST', headers: { 'content-type': contentType }, body: audio, ...(token === undefined ? {} : { token }) });
}

export function speak(baseUrl: string, text: unknown, token: string | undefined): Promise<VoiceAnswer> {
  return callVoice(baseUrl, '/api/speech', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }), ...(token === undefined ? {} : { token }) });
}

/** The `code` of a problem answer, with its status, for one-line assertions. */
export function problemOf(answer: VoiceAnswer): { status: number; code: unknown } {
  return { status: answer.status, code: answer.json?.code };
}
