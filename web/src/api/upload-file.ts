import type { Attachment } from '../../../src/protocol/index.js';
import { pageAuth } from '../auth/page-auth-instance.js';

/**
 * Uploads one file to the session (multipart, as the server's files route takes it),
 * reporting progress as it goes: XMLHttpRequest, since fetch tells nothing of an upload's
 * progress. Resolves with the stored file, or rejects with the server's words.
 */
export function uploadFile(sessionId: string, file: File, onProgress: (fraction: number) => void, signal: AbortSignal): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/api/sessions/${encodeURIComponent(sessionId)}/files`);
    const token = pageAuth.token();
    if (token !== null) request.setRequestHeader('authorization', `Bearer ${token}`);
    request.responseType = 'json';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      const body = request.response as (Attachment & { detail?: string }) | null;
      if (request.status === 201 && body) resolve({ file_id: body.file_id, name: body.name, media_type: body.media_type, size: body.size });
      else reject(new Error(body?.detail ?? `The upload failed (${request.status}).`));
    };
    request.onerror = () => reject(new Error('The upload failed: the connection was lost.'));
    request.onabort = () => reject(new Error('The upload was cancelled.'));
    signal.addEventListener('abort', () => request.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, file.name || 'pasted-image');
    request.send(form);
  });
}

/**
 * One of the session's files as a URL the page can show (an image) or save: fetched with the
 * page's token, since an `<img>` cannot send one. The caller revokes it.
 */
export async function fileObjectUrl(sessionId: string, fileId: string): Promise<string> {
  const token = pageAuth.token();
  const response = await fetch(`/api/sessions/${encodeURIComponent(sessionId)}/files/${encodeURIComponent(fileId)}`, {
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`The server answered ${response.status}`);
  return URL.createObjectURL(await response.blob());
}
