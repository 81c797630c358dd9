import { readProblem, type Problem } from '../api/read-problem.js';

/**
 * Asks the server whether it accepts a token, before the page switches to it: the
 * smallest request that needs one (the first session of the caller's list).
 */
export async function checkToken(token: string): Promise<Problem | null> {
  let response: Response;
  try {
    response = await fetch('/api/sessions?limit=1', { headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
  } catch {
    return { code: 'offline', message: 'The server could not be reached.' };
  }
  return response.ok ? null : readProblem(response);
}
