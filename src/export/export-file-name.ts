import { cutText } from '../text/cut-text.js';

export type ExportFormat = 'markdown' | 'json';

const extensions: Record<ExportFormat, string> = { markdown: 'md', json: 'json' };
const maxNameLength = 80;

/**
 * The `Content-Disposition` of an export: an attachment named for the session's title. The
 * plain `filename` keeps ASCII letters and digits (else the session id, already safe); the
 * RFC 6266 `filename*` keeps the title's own letters, with nothing a file system or a header
 * could read as a path, a quote or a control character.
 */
export function exportContentDisposition(title: string | null, sessionId: string, format: ExportFormat): string {
  const extension = extensions[format];
  const ascii = asciiSlug(title ?? '') || sessionId;
  const unicode = title === null ? '' : unicodeName(title);
  const plain = `parley-${ascii}.${extension}`;
  if (unicode === '' || unicode === ascii) return `attachment; filename="${plain}"`;
  return `attachment; filename="${plain}"; filename*=UTF-8''${encodeRfc5987(`parley-${unicode}.${extension}`)}`;
}

function asciiSlug(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return cutText(slug, maxNameLength).replace(/-+$/, '');
}

function unicodeName(text: string): string {
  const name = text
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\\/:*?"<>|%;,]+/gu, ' ')
    .replace(/\s+/gu, '-')
    .replace(/^[-.]+|[-.]+$/gu, '');
  return cutText(name, maxNameLength).replace(/[-.]+$/u, '');
}

/** RFC 5987 `value-chars`: what encodeURIComponent leaves, less the few it leaves that are not attr-chars. */
function encodeRfc5987(text: string): string {
  return encodeURIComponent(text).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}
