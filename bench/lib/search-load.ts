import { percentile } from './metrics';

/** One search issued by a SearchLoad. */
export interface SearchSample {
  /** When it was due, ms since the load started. */
  dueMs: number;
  /** From when it was due to its answer, ms: a late timer (a blocked event loop) counts as waiting. */
  latencyMs: number;
  /** Document groups returned. */
  groups: number;
  /** The mode the answer says it ran in (keyword while no model is ready). */
  mode: string;
  error?: string;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  max: number;
}

export function summarise(samples: readonly SearchSample[]): LatencySummary {
  const ok = samples.filter((s) => s.error === undefined).map((s) => s.latencyMs);
  return {
    count: ok.length,
    p50: percentile(ok, 50),
    p95: percentile(ok, 95),
    max: ok.length ? Math.max(...ok) : Number.NaN,
  };
}

/**
 * Issues `search(query)` on a fixed schedule (one every `intervalMs`, the
 * next one due whether or not the previous has answered, as a person typing
 * would), until `stop()`. Latency is measured from when each search was due,
 * not from when its timer managed to fire: a search that could not even start
 * because the event loop was busy waited all the same (no coordinated
 * omission).
 */
export class SearchLoad {
  readonly samples: SearchSample[] = [];
  private readonly started = performance.now();
  private next = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly search: (query: string) => Promise<{ groups: unknown[]; mode: string }>,
    private readonly queries: readonly string[],
    private readonly intervalMs: number,
    private readonly onSample?: (sample: SearchSample) => void,
  ) {
    this.schedule();
  }

  /** Stops issuing and waits for the searches in flight. */
  async stop(): Promise<SearchSample[]> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.all(this.inFlight);
    return this.samples;
  }

  private schedule(): void {
    if (this.stopped) return;
    const dueMs = this.next * this.intervalMs;
    this.timer = setTimeout(() => this.issue(dueMs), Math.max(0, this.started + dueMs - performance.now()));
  }

  private issue(dueMs: number): void {
    const query = this.queries[this.next % this.queries.length]!;
    this.next++;
    this.schedule();
    const run = this.search(query).then(
      (answer) =>
        this.record({ dueMs, latencyMs: this.sinceDue(dueMs), groups: answer.groups.length, mode: answer.mode }),
      (error: unknown) =>
        this.record({ dueMs, latencyMs: this.sinceDue(dueMs), groups: 0, mode: 'error', error: String(error) }),
    );
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  private sinceDue(dueMs: number): number {
    return performance.now() - this.started - dueMs;
  }

  private record(sample: SearchSample): void {
    this.samples.push(sample);
    this.onSample?.(sample);
  }
}
