/** Retry delays: exponential in the attempt number, capped, with jitter. */
export interface BackoffOptions {
  /** Delay after the first failed attempt, before jitter. Default 2000 ms. */
  baseMs: number;
  /** Upper bound for any delay. Default 300000 ms (5 minutes). */
  maxMs: number;
  /**
   * Fraction of the delay that is randomised, 0..1: a delay `d` becomes a
   * value in `[d * (1 - jitter), d]`. Spreads retries of jobs that failed
   * together (e.g. a provider outage) so they do not return as a herd. Default 0.5.
   */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 2_000, maxMs: 300_000, jitter: 0.5 };

/**
 * Milliseconds to wait after `failedAttempt` (1-based) failed:
 * `min(maxMs, baseMs * 2^(failedAttempt-1))`, minus up to `jitter` of it.
 * `random` returns [0, 1) and is injectable so tests are deterministic.
 */
export function backoffDelayMs(
  failedAttempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, failedAttempt - 1);
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  const jitter = Math.min(1, Math.max(0, options.jitter));
  return Math.max(0, Math.round(ceiling * (1 - jitter * random())));
}
