import { expect } from 'vitest';
import { ParleyError } from '../../src/errors/index.js';

/** The ParleyError `work` rejects with; fails the test when it resolves or throws anything else. */
export async function refusalOf(work: Promise<unknown>): Promise<ParleyError> {
  const outcome = await work.then(
    () => new Error('expected a refusal'),
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(ParleyError);
  return outcome as ParleyError;
}
