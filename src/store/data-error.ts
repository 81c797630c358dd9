/**
 * Whether a failed write blames its rows rather than the connection. SQLSTATE class 22 (data
 * exception: a value the column or `jsonb` refuses), 23 (integrity constraint violation) and
 * 54 (program limit exceeded: a value or batch too large) fail the same way on every retry;
 * anything else (refused connection, reset, timeout, server shutting down) may pass later.
 */
const dataErrorClasses = new Set(['22', '23', '54']);

export function isDataError(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && dataErrorClasses.has(state.slice(0, 2));
}

/** The five-character SQLSTATE both drivers put on `code`, when the error has one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Events that cannot even be turned into JSON (a cycle in their metadata): a data exception before the database. */
export class UnserializableEventsError extends Error {
  readonly code = '22000';

  constructor(options: { cause: unknown }) {
    super('the events could not be serialized as JSON', options);
    this.name = 'UnserializableEventsError';
  }
}
