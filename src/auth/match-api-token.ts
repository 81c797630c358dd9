import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Compares a presented token with API_TOKEN in constant time. Both sides are hashed first, so
 * the comparison always runs over 32 bytes and the time taken does not tell the token's length.
 */
export function createApiTokenMatcher(apiToken: string | undefined): (candidate: string) => boolean {
  if (apiToken === undefined) return () => false;
  const expected = digest(apiToken);
  return (candidate) => timingSafeEqual(digest(candidate), expected);
}
