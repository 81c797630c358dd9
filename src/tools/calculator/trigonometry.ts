type Fail = (problem: string) => never;

/**
 * sin, cos and tan that are exact at multiples of pi/2, where people expect 0, 1 or -1 and
 * floating point gives 1.2e-16; tan is undefined at odd multiples.
 */
export function sine(value: number): number {
  const quarterTurns = exactQuarterTurns(value);
  return quarterTurns === undefined ? Math.sin(value) : ([0, 1, 0, -1] as const)[quarterTurns]!;
}

export function cosine(value: number): number {
  const quarterTurns = exactQuarterTurns(value);
  return quarterTurns === undefined ? Math.cos(value) : ([1, 0, -1, 0] as const)[quarterTurns]!;
}

export function tangent(value: number, fail: Fail): number {
  const quarterTurns = exactQuarterTurns(value);
  if (quarterTurns === undefined) return Math.tan(value);
  if (quarterTurns % 2 === 1) fail(`is undefined at odd multiples of pi/2, got ${value}`);
  return 0;
}

/** The quarter turn (0..3) that `value` lands on, when it is a multiple of pi/2 up to float noise. */
function exactQuarterTurns(value: number): number | undefined {
  const turns = value / (Math.PI / 2);
  const nearest = Math.round(turns);
  // Near zero the plain functions are already exact, and tiny angles must keep their value.
  if (nearest === 0 || Math.abs(turns - nearest) > 1e-12 || Math.abs(nearest) > 1e9) return undefined;
  return ((nearest % 4) + 4) % 4;
}
