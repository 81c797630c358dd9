/** The largest n whose n! is a finite double. */
export const maxFactorial = 170;

/** n! for whole n in 0..170; the caller reports anything else as an error. */
export function factorial(value: number): number | undefined {
  if (!Number.isInteger(value) || value < 0 || value > maxFactorial) return undefined;
  let product = 1;
  for (let factor = 2; factor <= value; factor += 1) product *= factor;
  return product;
}
