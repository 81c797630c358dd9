import type { LanguageModelV3FilePart, LanguageModelV3TextPart } from '@ai-sdk/provider';
import type { Attachment } from '../protocol/index.js';
import type { AttachmentContent } from './attachment-content.js';

/** Provider options under this key carry what Parley's own edges read (the OpenAI adapter, the offline model). */
export const parleyOptionsKey = 'parley';

/** A text file's text is cut here for the model. */
export const maxAttachmentTextChars = 100_000;

export type AttachmentPart = LanguageModelV3TextPart | LanguageModelV3FilePart;

/**
 * An attachment as the provider spec's prompt parts: a text file as text (marked as a file),
 * an image or a PDF as a file part (the PDF's extracted text beside it, for models that cannot
 * read PDFs), and a file whose content is not sent as a short note naming it.
 */
export function attachmentParts(attachment: Attachment, content: AttachmentContent | undefined): AttachmentPart {
  const described = { attachment: { name: attachment.name, media_type: attachment.media_type, size: attachment.size } };
  if (content === undefined) {
    return {
      type: 'text',
      text: `[Attached file "${attachment.name}" (${attachment.media_type}, ${formatBytes(attachment.size)}); its content is not included here.]`,
      providerOptions: { [parleyOptionsKey]: { ...described, omitted: true } },
    };
  }
  if (attachment.media_type === 'text/plain') {
    const text = content.text ?? '';
    const shown = text.length > maxAttachmentTextChars ? `${text.slice(0, maxAttachmentTextChars)}\n[…the rest of the file is left out]` : text;
    return {
      type: 'text',
      text: `[File "${attachment.name}"]\n${shown}\n[End of file "${attachment.name}"]`,
      providerOptions: { [parleyOptionsKey]: { ...described, text: shown } },
    };
  }
  return {
    type: 'file',
    mediaType: attachment.media_type,
    filename: attachment.name,
    data: content.data,
    providerOptions: { [parleyOptionsKey]: { ...described, ...(content.text === undefined ? {} : { text: content.text }) } },
  };
}

/** What Parley noted on a part, or null for a part that is no attachment. */
export function attachmentNote(part: { providerOptions?: Record<string, Record<string, unknown>> | undefined }): { name: string; media_type: string; text?: string; omitted?: boolean } | null {
  const options = part.providerOptions?.[parleyOptionsKey];
  const attachment = options?.attachment as { name?: unknown; media_type?: unknown } | undefined;
  if (typeof attachment?.name !== 'string' || typeof attachment.media_type !== 'string') return null;
  return {
    name: attachment.name,
    media_type: attachment.media_type,
    ...(typeof options?.text === 'string' ? { text: options.text } : {}),
    ...(options?.omitted === true ? { omitted: true } : {}),
  };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 102.4) / 10} KB`;
  return `${Math.round(bytes / (1024 * 102.4)) / 10} MB`;
}
