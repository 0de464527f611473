import type { Clock } from '../../clock';
import { abortableDelay } from './delay';

export interface RateLimiterOptions {
  /** Average requests allowed per second. */
  requestsPerSecond: number;
  /** Requests that may go out back to back before spacing starts. Default 1. */
  burst?: number;
  clock: Clock;
}

/**
 * Spaces requests so their long-run average stays under a rate (a GCRA, the
 * "virtual scheduling" form of a token bucket). Each caller reserves its slot
 * synchronously, so concurrent callers queue fairly without a lock.
 */
export class RateLimiter {
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  private readonly clock: Clock;
  /** Theoretical arrival time of the next request (epoch ms). */
  private nextAt = 0;

  constructor(options: RateLimiterOptions) {
    if (!(options.requestsPerSecond > 0)) throw new RangeError('requestsPerSecond must be positive');
    this.intervalMs = 1000 / options.requestsPerSecond;
    this.toleranceMs = this.intervalMs * (Math.max(1, options.burst ?? 1) - 1);
    this.clock = options.clock;
  }

  /** Resolves when the caller may send its request; rejects if `signal` aborts first. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const now = this.clock.now();
    const arrival = Math.max(this.nextAt, now);
    const waitMs = arrival - this.toleranceMs - now;
    this.nextAt = arrival + this.intervalMs;
    if (waitMs > 0) await abortableDelay(this.clock, waitMs, signal);
  }
}
