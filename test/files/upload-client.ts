/** What the files routes answer: the stored file, or a problem. */
export interface UploadAnswer {
  status: number;
  body: { file_id?: string; name?: string; media_type?: string; size?: number; sha256?: string; code?: string; detail?: string };
}

/** Uploads one file as a browser does (multipart/form-data, field `file`) with real HTTP. */
export async function uploadFile(baseUrl: string, sessionId: string, file: { name: string; bytes: Uint8Array; type?: string }, token?: string): Promise<UploadAnswer> {
  const form = new FormData();
  form.append('file', new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }), file.name);
  const response = await fetch(`${baseUrl}/api/sessions/${sessionId}/files`, {
    method: 'POST',
    body: form,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as UploadAnswer['body'] };
}

export async function downloadFile(baseUrl: string, sessionId: string, fileId: string, token?: string): Promise<Response> {
  return fetch(`${baseUrl}/api/sessions/${sessionId}/files/${fileId}`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
}
