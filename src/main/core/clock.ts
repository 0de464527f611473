/**
 * Time as a port, so the queue, backoff and leases are testable with an
 * injected clock instead of real waiting.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(fn: () => void, ms: number, options?: TimerOptions): unknown;
  clearTimeout(handle: unknown): void;
}

export interface TimerOptions {
  /**
   * Keep the process alive until the timer fires: for a pause that awaited
   * work is waiting out (a retry's backoff, a rate limit, a shutdown's
   * deadline), which is work in progress as much as the request it delays.
   * Default false: polls, heartbeats and sweeps never keep a CLI or test
   * process alive on their own.
   */
  keepAlive?: boolean;
}

/**
 * Waits `ms` on `clock`, keeping the process alive meanwhile (the work it
 * delays is awaited); rejects with `aborted()` as soon as `signal` aborts.
 */
export function pause(clock: Clock, ms: number, signal: AbortSignal | undefined, aborted: () => Error): Promise<void> {
  if (signal?.aborted) return Promise.reject(aborted());
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(aborted());
    };
    const handle = clock.setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      ms,
      { keepAlive: true },
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms, options) => {
    const handle = setTimeout(fn, ms);
    if (!options?.keepAlive) handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A manual clock for tests: time moves only when `advance` is called. */
export class ManualClock implements Clock {
  private current: number;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private nextId = 1;

  constructor(start = 1_700_000_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.current + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      let nextId: number | undefined;
      let nextAt = Infinity;
      for (const [id, t] of this.timers) {
        if (t.at <= target && t.at < nextAt) {
          nextAt = t.at;
          nextId = id;
        }
      }
      if (nextId === undefined) break;
      const timer = this.timers.get(nextId)!;
      this.timers.delete(nextId);
      this.current = Math.max(this.current, timer.at);
      timer.fn();
    }
    this.current = target;
  }
}
