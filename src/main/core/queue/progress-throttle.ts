import type { Clock } from '../clock';

export interface ProgressValue {
  fraction: number;
  message: string | null;
}

/**
 * Limits how often one job's progress is written: at most one write per
 * `intervalMs`, the latest value wins, and a trailing timer writes the last
 * value even if the handler goes quiet. `flush()` writes whatever is pending
 * at once (the queue calls it before the job finishes).
 */
export class ProgressThrottle {
  private pending: ProgressValue | undefined;
  private lastWriteAt = -Infinity;
  private timer: unknown;

  constructor(
    private readonly intervalMs: number,
    private readonly clock: Clock,
    private readonly write: (value: ProgressValue) => void,
  ) {}

  report(fraction: number, message?: string): void {
    // NaN would poison the stored value and the UI's progress bar.
    if (Number.isNaN(fraction)) return;
    this.pending = { fraction: Math.min(1, Math.max(0, fraction)), message: message ?? null };
    const wait = this.lastWriteAt + this.intervalMs - this.clock.now();
    if (wait <= 0) {
      this.flush();
    } else if (this.timer === undefined) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, wait);
    }
  }

  flush(): void {
    this.cancelTimer();
    const value = this.pending;
    if (!value) return;
    this.pending = undefined;
    this.lastWriteAt = this.clock.now();
    this.write(value);
  }

  /** Drops anything pending without writing it. */
  dispose(): void {
    this.cancelTimer();
    this.pending = undefined;
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
