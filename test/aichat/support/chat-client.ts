import { DefaultChatTransport, readUIMessageStream, type UIMessage, type UIMessageChunk } from 'ai';

/** The AI SDK's own client transport, pointed at a running Parley. */
export function chatTransport(httpUrl: string, options: { headers?: Record<string, string>; body?: Record<string, unknown> } = {}): DefaultChatTransport<UIMessage> {
  return new DefaultChatTransport({ api: `${httpUrl}/api/chat`, ...options });
}

export function userMessage(id: string, text: string): UIMessage {
  return { id, role: 'user', parts: [{ type: 'text', text }] };
}

/** Sends one user message as useChat does (submit-message) and returns the stream of chunks. */
export function send(
  transport: DefaultChatTransport<UIMessage>,
  chatId: string,
  messages: UIMessage[],
  abortSignal?: AbortSignal,
): Promise<ReadableStream<UIMessageChunk>> {
  return transport.sendMessages({ chatId, messages, trigger: 'submit-message', messageId: undefined, abortSignal });
}

/** The assistant message as the AI SDK's reader builds it from the whole stream. */
export async function finalMessage(stream: ReadableStream<UIMessageChunk>): Promise<UIMessage> {
  let last: UIMessage | undefined;
  for await (const message of readUIMessageStream({ stream })) last = message;
  if (!last) throw new Error('the stream held no message');
  return last;
}

/** Every chunk of a stream, in order. */
export async function allChunks(stream: ReadableStream<UIMessageChunk>): Promise<UIMessageChunk[]> {
  const chunks: UIMessageChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

export function textOf(message: UIMessage): string {
  return message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
}
