import { useEffect, useState } from 'preact/hooks';
import type { PendingUpload } from '../attachments/pending-upload.js';
import { formatBytes } from '../text/format-bytes.js';
import { DocumentIcon } from './file-icons.js';

interface Props {
  uploads: readonly PendingUpload[];
  onRemove: (key: string) => void;
}

/** The files waiting to go with the next message: a preview, progress, and a way to take each back. */
export function AttachTray({ uploads, onRemove }: Props) {
  if (uploads.length === 0) return null;
  return (
    <ul class="attach-tray" aria-label="Files to send">
      {uploads.map((upload) => (
        <li key={upload.key} class={`attach-item${upload.error ? ' attach-failed' : ''}`}>
          <LocalPreview file={upload.file} />
          <span class="attach-name" title={upload.file.name}>{upload.file.name || 'pasted image'}</span>
          {upload.error ? (
            <span class="attach-error" role="alert">{upload.error}</span>
          ) : upload.attachment ? (
            <span class="attach-size">{formatBytes(upload.attachment.size)}</span>
          ) : (
            <progress class="attach-progress" max={1} value={upload.progress} aria-label={`Uploading ${upload.file.name}`} />
          )}
          <button type="button" class="attach-remove" aria-label={`Remove ${upload.file.name || 'pasted image'}`} title="Remove" onClick={() => onRemove(upload.key)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

function LocalPreview({ file }: { file: File }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!file.type.startsWith('image/')) return;
    const created = URL.createObjectURL(file);
    setUrl(created);
    return () => URL.revokeObjectURL(created);
  }, [file]);
  return url ? <img class="attach-thumb" src={url} alt="" /> : <span class="attach-icon"><DocumentIcon /></span>;
}
