import { ParleyError } from '../errors/index.js';

/**
 * Search pages by offset, wrapped in an opaque cursor. The order is fused from up to three
 * rankings (reciprocal-rank-fusion.ts), so no column of a hit can be sought from as a keyset
 * cursor can; an offset into the same fused order is exact as long as nothing new matched
 * meanwhile. Deep pages cost each ranking more rows, so the walk stops at `maxSearchDepth`:
 * search is for finding, the sessions list for reading everything.
 */
export const maxSearchDepth = 500;

export function encodeSearchCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

export function decodeSearchCursor(cursor: string): number {
  let offset: unknown;
  try {
    offset = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { offset?: unknown }).offset;
  } catch {
    offset = undefined;
  }
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0 || offset >= maxSearchDepth) {
    throw new ParleyError('bad_request', 'The cursor is not one this search returned: pass next_cursor as it came, or leave it out for the first page.');
  }
  return offset;
}
