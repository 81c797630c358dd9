import type { LanguageModelV3FilePart, LanguageModelV3TextPart } from '@ai-sdk/provider';
import type { ChatCompletionContentPart } from 'openai/resources/chat/completions';
import { attachmentNote } from '../attachment-parts.js';

/** How PDFs reach the server: OpenAI's `file` parts, or their extracted text for servers without them. */
export type PdfInput = 'file' | 'text';

/**
 * A user message's parts as OpenAI chat content parts: text as text, images as `image_url`
 * data URLs (what OpenAI, Ollama, vLLM and llama.cpp's server read), PDFs as `file` parts or
 * as their text, and any other file as a note that it could not be sent.
 */
export function toOpenAiUserContent(parts: ReadonlyArray<LanguageModelV3TextPart | LanguageModelV3FilePart>, pdfInput: PdfInput): ChatCompletionContentPart[] {
  return parts.map((part): ChatCompletionContentPart => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    const name = part.filename ?? 'file';
    if (part.mediaType.startsWith('image/')) return { type: 'image_url', image_url: { url: dataUrl(part) } };
    if (part.mediaType === 'application/pdf') {
      if (pdfInput === 'file') return { type: 'file', file: { filename: name, file_data: dataUrl(part) } };
      const text = attachmentNote(part)?.text;
      return { type: 'text', text: text === undefined ? `[PDF "${name}": its text could not be read.]` : `[Text of the PDF "${name}"]\n${text}\n[End of "${name}"]` };
    }
    return { type: 'text', text: `[A file "${name}" (${part.mediaType}) is attached; this model cannot read it.]` };
  });
}

function dataUrl(part: LanguageModelV3FilePart): string {
  if (part.data instanceof URL) return part.data.href;
  // The spec allows base64 text as well as bytes.
  const base64 = typeof part.data === 'string' ? part.data : Buffer.from(part.data.buffer, part.data.byteOffset, part.data.byteLength).toString('base64');
  return `data:${part.mediaType};base64,${base64}`;
}

/** OpenAI's default API reads PDF file parts; other servers (Ollama, vLLM, llama.cpp) do not. */
export function resolvePdfInput(setting: 'auto' | PdfInput, baseURL: string): PdfInput {
  if (setting !== 'auto') return setting;
  return new URL(baseURL).hostname === 'api.openai.com' ? 'file' : 'text';
}
