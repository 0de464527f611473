/**
 * Long-poll bookkeeping: polls waiting for a channel park here and are woken
 * when an event for that channel is stored, when their timeout passes, or
 * when the relay shuts down.
 */
export class EventWaiters {
  private readonly waiting = new Map<string, Set<() => void>>();
  private closed = false;

  /**
   * Resolves after `timeoutMs`, on `notify(channelId)`, on `closeAll()`, or
   * when `signal` aborts (the poller went away), whichever comes first.
   */
  wait(channelId: string, timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (this.closed || signal.aborted || timeoutMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const set = this.waiting.get(channelId) ?? new Set<() => void>();
      this.waiting.set(channelId, set);
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        set.delete(done);
        if (set.size === 0 && this.waiting.get(channelId) === set) this.waiting.delete(channelId);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done, { once: true });
      set.add(done);
    });
  }

  notify(channelId: string): void {
    const set = this.waiting.get(channelId);
    if (!set) return;
    for (const wake of [...set]) wake();
  }

  /** Wakes every waiting poll; later waits return at once. */
  closeAll(): void {
    this.closed = true;
    for (const set of [...this.waiting.values()]) for (const wake of [...set]) wake();
  }

  get size(): number {
    let n = 0;
    for (const set of this.waiting.values()) n += set.size;
    return n;
  }
}
