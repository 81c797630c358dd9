import { useEffect, useState } from 'preact/hooks';
import type { Attachment } from '../../../src/protocol/index.js';
import { fileObjectUrl } from '../api/upload-file.js';
import { formatBytes } from '../text/format-bytes.js';
import { DocumentIcon } from './file-icons.js';

interface Props {
  sessionId: string;
  attachments: readonly Attachment[];
}

/** A message's files in the conversation: images as pictures, anything else as a named file to save. */
export function AttachmentList({ sessionId, attachments }: Props) {
  return (
    <ul class="attachments" aria-label="Attached files">
      {attachments.map((attachment) => (
        <li key={attachment.file_id} class="attachment">
          {attachment.media_type.startsWith('image/') ? (
            <StoredImage sessionId={sessionId} attachment={attachment} />
          ) : (
            <SavedFile sessionId={sessionId} attachment={attachment} />
          )}
        </li>
      ))}
    </ul>
  );
}

function StoredImage({ sessionId, attachment }: { sessionId: string; attachment: Attachment }) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let created: string | null = null;
    let current = true;
    fileObjectUrl(sessionId, attachment.file_id).then(
      (objectUrl) => {
        created = objectUrl;
        if (current) setUrl(objectUrl);
        else URL.revokeObjectURL(objectUrl);
      },
      () => current && setFailed(true),
    );
    return () => {
      current = false;
      if (created) URL.revokeObjectURL(created);
    };
  }, [sessionId, attachment.file_id]);
  if (failed || url === null) return <span class="attachment-file">{attachment.name}</span>;
  return <img class="attachment-image" src={url} alt={attachment.name} title={attachment.name} />;
}

function SavedFile({ sessionId, attachment }: { sessionId: string; attachment: Attachment }) {
  const save = async () => {
    const url = await fileObjectUrl(sessionId, attachment.file_id);
    const link = document.createElement('a');
    link.href = url;
    link.download = attachment.name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <button type="button" class="attachment-file" onClick={() => void save()} title={`Save ${attachment.name}`}>
      <DocumentIcon /> {attachment.name} <span class="muted">{formatBytes(attachment.size)}</span>
    </button>
  );
}
