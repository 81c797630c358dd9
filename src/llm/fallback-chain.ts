import { ParleyError, toParleyError } from '../errors/index.js';

/**
 * Tries `start` on each candidate in order (LLM_PROVIDER first, then LLM_FALLBACK) and
 * returns the first that starts. `start` only fails before anything reached the user, so
 * moving to the next provider never repeats output. A cancel stops the chain at once.
 * When all fail, the first failure is reported (it concerns the configured provider), with
 * the others noted.
 */
export async function firstThatStarts<Candidate, T>(
  candidates: readonly Candidate[],
  start: (candidate: Candidate) => Promise<T>,
  options: { signal: AbortSignal | undefined; name: (candidate: Candidate) => string },
): Promise<T> {
  const failures: Array<{ candidate: Candidate; error: unknown }> = [];
  for (const candidate of candidates) {
    try {
      return await start(candidate);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      failures.push({ candidate, error });
    }
  }
  const [first, ...others] = failures;
  if (first === undefined) throw new ParleyError('llm_error', 'No model is configured.');
  const primary = toParleyError(first.error, 'llm_error');
  if (others.length === 0) throw primary;
  const notes = others.map(({ candidate, error }) => `${options.name(candidate)}: ${toParleyError(error, 'llm_error').message}`);
  throw new ParleyError(primary.code, `${primary.message} Fallback failed too (${notes.join('; ')})`, { cause: primary.cause });
}
