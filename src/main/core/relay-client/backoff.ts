/**
 * Exponential backoff with "equal jitter": the n-th consecutive failure
 * waits between half and all of min(maxMs, baseMs * 2^(n-1)). Never zero,
 * so a relay that is down is not hammered; jittered, so many desktops do
 * not return in lockstep after an outage.
 */
export function backoffDelay(
  failures: number,
  options: { baseMs: number; maxMs: number },
  random: () => number = Math.random,
): number {
  const exponent = Math.min(30, Math.max(0, failures - 1));
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return Math.round(cap / 2 + (random() * cap) / 2);
}
