/** Query parameters that carry a credential: their values never reach a log line. */
const secretParameters = ['token', 'access_token', 'api_key', 'key'];

/** The request URL as it may be logged: credential values in the query replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const query = new URLSearchParams(url.slice(queryStart + 1));
  let redacted = false;
  for (const name of secretParameters) {
    if (query.has(name)) {
      query.set(name, '[redacted]');
      redacted = true;
    }
  }
  return redacted ? `${url.slice(0, queryStart)}?${query.toString()}` : url;
}
