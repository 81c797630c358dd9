/** Loaded on the first export (a dynamic import): the page's first load does not carry it. */
import { readProblem } from './read-problem.js';
import { sessionPath } from './session-changes-api.js';
import { authorizedFetch } from './sessions-api.js';

export type ExportFormat = 'markdown' | 'json';

/**
 * Downloads the session's export under the name the server gives it. Fetched with the page's
 * token (a link could not carry it as a header), then saved from memory.
 */
export async function downloadExport(sessionId: string, format: ExportFormat): Promise<void> {
  const response = await authorizedFetch(`${sessionPath(sessionId)}/export?format=${format}`, { headers: { accept: '*/*' } });
  if (!response.ok) throw new Error((await readProblem(response)).message);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileNameOf(response.headers.get('content-disposition')) ?? `parley-${sessionId}.${format === 'json' ? 'json' : 'md'}`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The RFC 6266 `filename*` (UTF-8) when present, else the plain `filename`. */
export function fileNameOf(disposition: string | null): string | null {
  if (disposition === null) return null;
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  if (extended !== undefined) {
    try {
      return decodeURIComponent(extended);
    } catch {
      // falls back to the plain name
    }
  }
  return /filename="([^"]+)"/i.exec(disposition)?.[1] ?? null;
}
