/** setTimeout's longest delay (about 24.8 days); a longer one would fire at once. */
const longestTimeoutMs = 2 ** 31 - 1;

/**
 * Runs `action` once `delayMs` have passed, however long that is (a token may be valid for
 * months); returns the function that cancels it.
 */
export function afterMilliseconds(delayMs: number, action: () => void): () => void {
  const deadline = Date.now() + delayMs;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const left = Math.max(0, deadline - Date.now());
    timer = left > longestTimeoutMs ? setTimeout(arm, longestTimeoutMs) : setTimeout(action, left);
  };
  arm();
  return () => clearTimeout(timer);
}
