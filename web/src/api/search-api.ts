/** GET /api/search (CONTRACT.md): hits in the caller's sessions, best first. */
import type { SearchPageResource } from '../../../src/http/search-schemas.js';
import { readProblem } from './read-problem.js';
import { authorizedFetch } from './sessions-api.js';

export type SearchPage = SearchPageResource;
export type SearchHit = SearchPageResource['hits'][number];

/** A refused query (a 400's detail) is thrown with the server's words, for the page to show. */
export async function searchSessions(query: string, cursor?: string, limit = 20): Promise<SearchPage> {
  const parameters = new URLSearchParams({ q: query, limit: String(limit) });
  if (cursor) parameters.set('cursor', cursor);
  const response = await authorizedFetch(`/api/search?${parameters}`);
  if (response.ok) return (await response.json()) as SearchPage;
  const problem = await readProblem(response);
  throw new Error(response.status === 400 ? problem.message : `The server answered ${response.status}`);
}
