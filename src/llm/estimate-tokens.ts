import type { Attachment, HistoryItem } from '../protocol/index.js';
import { maxAttachmentTextChars } from './attachment-parts.js';

/** What a model charges for an image or a PDF page or two, roughly; text files count by their characters. */
const fileTokens = 1_000;


/** The usual rough measure, about four characters per token: good enough to budget and to estimate. */
export function estimateTokens(text: string): number {
  return tokensForCharacters(text.length);
}

export function tokensForCharacters(characters: number): number {
  return Math.ceil(characters / 4);
}

export function estimateItemTokens(item: HistoryItem): number {
  switch (item.type) {
    case 'user_message':
      return estimateTokens(item.content) + 4 + (item.attachments ?? []).reduce((total, attachment) => total + attachmentTokens(attachment), 0);
    case 'assistant_message':
      return estimateTokens(item.content) + 4;
    case 'tool_call':
      return estimateTokens(item.name + JSON.stringify(item.arguments ?? {})) + 4;
    case 'tool_result':
      return estimateTokens(item.name + JSON.stringify(item.error ?? item.result ?? null)) + 4;
  }
}

function attachmentTokens(attachment: Attachment): number {
  return attachment.media_type === 'text/plain' ? tokensForCharacters(Math.min(attachment.size, maxAttachmentTextChars)) : fileTokens;
}
