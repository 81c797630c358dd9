/** Scales a vector to length 1, so that a dot product is the cosine; a zero vector stays zero. */
export function toUnitLength(vector: readonly number[]): number[] {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const length = Math.sqrt(sum);
  return length === 0 ? [...vector] : vector.map((value) => value / length);
}
