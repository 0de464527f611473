/**
 * Token buckets keyed by channel: each key holds up to `burst` tokens,
 * refilled at `ratePerSecond`. A delivery takes one token or is refused.
 * Buckets live in memory only: after a restart every channel starts full,
 * which is the forgiving direction.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `key`. Returns 0 when allowed, otherwise the milliseconds until a token is due. */
  take(key: string): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    const refilled = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond);
    if (refilled >= 1) {
      this.buckets.set(key, { tokens: refilled - 1, at: now });
      return 0;
    }
    this.buckets.set(key, { tokens: refilled, at: now });
    if (this.ratePerSecond <= 0) return Number.POSITIVE_INFINITY;
    return Math.ceil(((1 - refilled) / this.ratePerSecond) * 1000);
  }

  forget(key: string): void {
    this.buckets.delete(key);
  }
}
