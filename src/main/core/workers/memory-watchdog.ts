import { threadMemoryBytes } from './thread-memory';

/** Why the watchdog stopped a worker. */
export interface MemoryVerdict {
  /** The figure that crossed the limit, bytes. */
  bytes: number;
  /**
   * True when the worker had gone silent (stuck in a long synchronous call)
   * and `bytes` is an estimate: its last report plus the process's growth
   * since then that the main thread does not account for.
   */
  estimated: boolean;
  /**
   * An estimate made while other watched workers were busy too: the growth
   * may be theirs, so the caller should not blame this worker's job alone
   * (the parser pool runs it again by itself).
   */
  ambiguous: boolean;
}

export interface MemoryWatchdogOptions<Key> {
  /** Most memory one worker may hold (V8 heap plus memory outside it), bytes. */
  limitBytes: number;
  /** How often the watched workers are checked, ms. Default 100. */
  intervalMs?: number;
  /** A worker that has not reported for longer than this is treated as stuck. Default 500 ms. */
  staleMs?: number;
  /** The whole process's resident set size. Default `process.memoryUsage.rss`. */
  processRss?: () => number;
  /** The main thread's heap plus external memory (growth there is not a worker's). */
  mainThreadBytes?: () => number;
  now?: () => number;
  /** Called once per worker over the limit; the worker is no longer watched. */
  onOverLimit(key: Key, verdict: MemoryVerdict): void;
}

interface Watched {
  /** Last reported bytes, and when it arrived, with the process and main-thread figures at that moment. */
  bytes: number;
  at: number;
  rssAt: number;
  mainAt: number;
}

/**
 * A hard memory limit per worker thread. Worker `resourceLimits` bound only
 * the V8 heap; Buffers and ArrayBuffers (a decompressed stream, an inflated
 * zip entry) live outside it and can take the process down. Workers report
 * their own usage (MemoryReporter) while busy; the watchdog checks every
 * `intervalMs` and calls `onOverLimit` for a worker whose usage is past the
 * limit, so its owner can terminate it.
 *
 * A worker stuck in one synchronous call (pdfjs inflating a stream) cannot
 * report. After `staleMs` of silence its usage is estimated as its last
 * report plus the process's RSS growth since then, less the main thread's
 * own growth. Growth in other threads (another parser, the embedder) can be
 * counted against it; with several busy workers the verdict says so
 * (`ambiguous`). A check that runs late (the main thread was busy, so
 * reports may be waiting in its queue) makes no estimates.
 */
export class MemoryWatchdog<Key> {
  private readonly watched = new Map<Key, Watched>();
  private readonly intervalMs: number;
  private readonly staleMs: number;
  private readonly processRss: () => number;
  private readonly mainThreadBytes: () => number;
  private readonly now: () => number;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastCheck = 0;

  constructor(private readonly options: MemoryWatchdogOptions<Key>) {
    this.intervalMs = options.intervalMs ?? 100;
    this.staleMs = options.staleMs ?? 500;
    this.processRss = options.processRss ?? (() => process.memoryUsage.rss());
    this.mainThreadBytes = options.mainThreadBytes ?? threadMemoryBytes;
    this.now = options.now ?? (() => performance.now());
  }

  /** Starts watching a worker that took work. Its first report is awaited from now. */
  watch(key: Key): void {
    if (this.watched.has(key)) return;
    this.watched.set(key, { bytes: 0, ...this.snapshot() });
    if (!this.timer) {
      this.lastCheck = this.now();
      this.timer = setInterval(() => this.check(), this.intervalMs);
      this.timer.unref();
    }
  }

  /** A worker's own figure; ignored for workers not watched. */
  report(key: Key, bytes: number): void {
    const entry = this.watched.get(key);
    if (entry) this.watched.set(key, { bytes, ...this.snapshot() });
  }

  unwatch(key: Key): void {
    this.watched.delete(key);
    if (this.watched.size === 0) this.stop();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round of checks (the timer's; exposed for tests). */
  check(): void {
    const now = this.now();
    const late = now - this.lastCheck > this.intervalMs * 3;
    this.lastCheck = now;
    const rss = this.processRss();
    const main = this.mainThreadBytes();
    const busy = this.watched.size;
    for (const [key, entry] of [...this.watched]) {
      const stale = now - entry.at > this.staleMs;
      if (stale && late) continue;
      const unexplained = Math.max(0, rss - entry.rssAt - Math.max(0, main - entry.mainAt));
      const bytes = stale ? entry.bytes + unexplained : entry.bytes;
      if (bytes <= this.options.limitBytes) continue;
      this.unwatch(key);
      this.options.onOverLimit(key, { bytes, estimated: stale, ambiguous: stale && busy > 1 });
    }
  }

  private snapshot(): { at: number; rssAt: number; mainAt: number } {
    return { at: this.now(), rssAt: this.processRss(), mainAt: this.mainThreadBytes() };
  }
}
