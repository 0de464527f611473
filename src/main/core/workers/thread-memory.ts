/**
 * How much memory the calling thread holds: its V8 heap plus the memory
 * outside it that V8 accounts to it (Buffers, ArrayBuffers, native objects).
 * In a worker thread `process.memoryUsage()` reports the worker's own
 * isolate for these figures (only `rss` is the whole process), so this is a
 * per-thread measure; worker `resourceLimits` bound only the heap part.
 */
export function threadMemoryBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapTotal + usage.external;
}

/**
 * Reports the calling thread's memory every `intervalMs` while work runs
 * (between `begin` and `end`). A thread stuck in one long synchronous call
 * cannot report: the watching side treats the silence as a sign of that
 * (see MemoryWatchdog).
 *
 * Work that starts within `intervalMs` of the last report does not report
 * again at once: a parser thread takes thousands of small jobs in a row,
 * and a report per job (process.memoryUsage() here, two process-wide
 * readings on the main thread that receives it) cost more CPU than
 * chunking 10,000 notes. The gap between reports stays under two intervals.
 */
export class MemoryReporter {
  private timer: ReturnType<typeof setInterval> | undefined;
  private active = 0;
  private reportedAt = -Infinity;

  constructor(
    private readonly send: (bytes: number) => void,
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Work started: report until every started piece of work has ended. */
  begin(): void {
    if (this.active++ > 0) return;
    if (this.now() - this.reportedAt >= this.intervalMs) this.report();
    this.timer = setInterval(() => this.report(), this.intervalMs);
    this.timer.unref();
  }

  end(): void {
    if (--this.active > 0) return;
    this.active = 0;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private report(): void {
    this.reportedAt = this.now();
    this.send(threadMemoryBytes());
  }
}
