/** A refusal as the server states it: the stable `code` and the sentence that explains it. */
export interface Problem {
  code: string;
  message: string;
}

/** The `code` and `detail` of an RFC 9457 problem answer (src/http/problem-handlers.ts). */
export async function readProblem(response: Response): Promise<Problem> {
  const fallback = { code: response.status === 401 ? 'unauthorized' : 'internal', message: `The server answered ${response.status}.` };
  try {
    const body = (await response.json()) as { code?: unknown; detail?: unknown };
    return {
      code: typeof body.code === 'string' ? body.code : fallback.code,
      message: typeof body.detail === 'string' ? body.detail : fallback.message,
    };
  } catch {
    return fallback;
  }
}
