import { ParleyError } from '../../errors/index.js';

/** Every calculator failure is a `tool_error` whose message the model can repeat to the user. */
export function calculatorError(message: string): ParleyError {
  return new ParleyError('tool_error', message);
}
