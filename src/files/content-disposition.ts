/**
 * A Content-Disposition header (RFC 6266) naming the file: an ASCII `filename` for old
 * clients, and the exact name as `filename*` (RFC 8187). Quotes, backslashes and non-ASCII
 * never reach the quoted form.
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
