import type { Attachment, HistoryItem } from '../protocol/index.js';

/** A file a model request carries: its bytes, and its text where there is one to read. */
export interface AttachmentContent extends Attachment {
  data: Uint8Array;
  /** A text file's text, or a PDF's extracted text (for models that cannot read PDFs). */
  text?: string;
}

/** Loads the files a turn sends (src/files/ implements it); files it cannot find are left out. */
export type AttachmentLoader = (attachments: readonly Attachment[]) => Promise<AttachmentContent[]>;

/**
 * The attachments a turn's request carries, newest first, while their bytes fit `budgetBytes`:
 * the message being answered always gets its own (within the budget), older ones while room
 * is left; the rest are named to the model without their content. Pure: no I/O.
 */
export function chooseAttachments(history: readonly HistoryItem[], budgetBytes: number): Attachment[] {
  const chosen: Attachment[] = [];
  let used = 0;
  for (let index = history.length - 1; index >= 0; index -= 1) {
    const item = history[index]!;
    if (item.type !== 'user_message' || item.attachments === undefined) continue;
    for (const attachment of item.attachments) {
      if (used + attachment.size > budgetBytes) continue;
      used += attachment.size;
      chosen.push(attachment);
    }
  }
  return chosen;
}
