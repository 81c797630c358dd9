import type { Attachment } from '../../../src/protocol/index.js';
import { useAttachmentsUi } from '../attachments/use-attachments-ui.js';

/** A message's files; their names until the attachment parts of the page have loaded. */
export function UserAttachments({ sessionId, attachments }: { sessionId: string; attachments: readonly Attachment[] }) {
  const ui = useAttachmentsUi(true);
  if (ui === null) return <p class="attachments muted">{attachments.map((attachment) => attachment.name).join(', ')}</p>;
  return <ui.AttachmentList sessionId={sessionId} attachments={attachments} />;
}
