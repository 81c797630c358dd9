import { ParleyError } from '../errors/index.js';

/**
 * Where a token came from. `token` is the older `?token=` query parameter: it may carry
 * API_TOKEN only (resolve-principal.ts), so a user's JWT never gets a second spelling.
 */
export type TokenSource = 'authorization' | 'access_token' | 'token';

export interface PresentedToken {
  value: string;
  source: TokenSource;
}

/** What the extraction reads: Fastify's `request.headers.authorization` and `request.query`. */
export interface TokenCarrier {
  authorization?: string | string[] | undefined;
  query?: unknown;
}

/** The credentials of `Authorization: Bearer <token>`; other schemes (a proxy's Basic) are not ours. */
function bearerOf(header: string | string[] | undefined): string[] {
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return values.flatMap((value) => {
    const match = /^Bearer +(\S+) *$/i.exec(value);
    return match?.[1] === undefined ? [] : [match[1]];
  });
}

function queryValues(query: unknown, name: string): string[] {
  if (typeof query !== 'object' || query === null) return [];
  const value = (query as Record<string, unknown>)[name];
  const values = Array.isArray(value) ? value : [value];
  return values.filter((each): each is string => typeof each === 'string' && each !== '');
}

/**
 * The token a request or WebSocket upgrade presents, or undefined when it presents none.
 * The header wins the source when the same token also travels in the query; two different
 * tokens are refused, since picking one would be a guess about who is asking.
 */
export function tokenFromRequest(carrier: TokenCarrier): PresentedToken | undefined {
  const found: PresentedToken[] = [
    ...bearerOf(carrier.authorization).map((value) => ({ value, source: 'authorization' as const })),
    ...queryValues(carrier.query, 'access_token').map((value) => ({ value, source: 'access_token' as const })),
    ...queryValues(carrier.query, 'token').map((value) => ({ value, source: 'token' as const })),
  ];
  const [first] = found;
  if (first === undefined) return undefined;
  if (found.some((each) => each.value !== first.value)) {
    throw new ParleyError(
      'unauthorized',
      'Two different tokens were given (in the Authorization header, access_token or token); send exactly one.',
    );
  }
  return first;
}
