/** The ingest stages the benchmarks report. */
export type IngestStage = 'walk+hash' | 'parse' | 'chunk' | 'embed' | 'write';

export interface StageTotals {
  /**
   * Milliseconds during which at least one call of the stage was running
   * (overlapping calls of one stage count once). Different stages can run at
   * the same time, on worker threads or while the other awaits.
   */
  ms: number;
  /** Times the stage was entered. */
  count: number;
}

/**
 * Accumulates time and counts per named stage. Passed as `metrics` in
 * CoreOptions by benchmarks; production code calls the `timeStage` helpers
 * below, which run the function directly when no timer is given, so an
 * unused timer costs one null check.
 *
 * A stage's time is its busy time: the wall time during which at least one
 * call of it was in flight, so four jobs awaiting the one embedding thread
 * count that thread's time once, not four times. Its waits are included
 * (an embed call waiting behind another document's request is still
 * embedding time). Different stages overlap (parsing workers, the
 * embedding thread and the main thread run together), so their sum can
 * exceed the wall time; compare them as shares of their sum.
 */
export class StageTimer {
  private readonly totals = new Map<string, StageTotals>();
  /** Calls in flight and the moment the stage last became busy, per async stage. */
  private readonly inFlight = new Map<string, { calls: number; since: number }>();

  /** Adds `ms` (and one entry) to `stage`. */
  add(stage: IngestStage, ms: number): void {
    const entry = this.totals.get(stage);
    if (entry) {
      entry.ms += ms;
      entry.count++;
    } else {
      this.totals.set(stage, { ms, count: 1 });
    }
  }

  /** Runs a synchronous `fn` and adds its duration to `stage`. */
  time<T>(stage: IngestStage, fn: () => T): T {
    const started = performance.now();
    try {
      return fn();
    } finally {
      this.add(stage, performance.now() - started);
    }
  }

  /** Awaits `fn`; the stage's busy time grows only while no other call of it was already in flight. */
  async timeAsync<T>(stage: IngestStage, fn: () => Promise<T>): Promise<T> {
    let flight = this.inFlight.get(stage);
    if (!flight) this.inFlight.set(stage, (flight = { calls: 0, since: 0 }));
    if (flight.calls++ === 0) flight.since = performance.now();
    try {
      return await fn();
    } finally {
      if (--flight.calls === 0) this.add(stage, performance.now() - flight.since);
      else this.count(stage);
    }
  }

  private count(stage: IngestStage): void {
    const entry = this.totals.get(stage);
    if (entry) entry.count++;
    else this.totals.set(stage, { ms: 0, count: 1 });
  }

  /** A copy of the totals so far, by stage name. */
  snapshot(): Record<string, StageTotals> {
    return Object.fromEntries([...this.totals].map(([stage, t]) => [stage, { ...t }]));
  }

  reset(): void {
    this.totals.clear();
    this.inFlight.clear();
  }
}

/** `metrics.time(stage, fn)` when a timer is given, else just `fn()`. */
export function timeStage<T>(metrics: StageTimer | undefined, stage: IngestStage, fn: () => T): T {
  return metrics ? metrics.time(stage, fn) : fn();
}

/** `metrics.timeAsync(stage, fn)` when a timer is given, else just `fn()`. */
export function timeStageAsync<T>(
  metrics: StageTimer | undefined,
  stage: IngestStage,
  fn: () => Promise<T>,
): Promise<T> {
  return metrics ? metrics.timeAsync(stage, fn) : fn();
}
