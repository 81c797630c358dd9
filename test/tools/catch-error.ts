import { ParleyError } from '../../src/errors/index.js';

/** The ParleyError a call throws, so a test can assert its code and message together. */
export function catchError(work: () => unknown): ParleyError {
  try {
    work();
  } catch (error) {
    if (error instanceof ParleyError) return error;
    throw new Error(`expected a ParleyError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected an error, but the call succeeded');
}

/** The ParleyError a promise rejects with, for the same assertions on async work. */
export async function rejectionOf(work: Promise<unknown>): Promise<ParleyError> {
  return work.then(
    () => {
      throw new Error('expected a rejection, but the promise resolved');
    },
    (error: unknown) => {
      if (error instanceof ParleyError) return error;
      throw new Error(`expected a ParleyError, got ${String(error)}`, { cause: error });
    },
  );
}
