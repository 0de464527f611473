import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryWatchdog, type MemoryVerdict } from '../../src/main/core/workers/memory-watchdog';
import { MemoryReporter } from '../../src/main/core/workers/thread-memory';

const MB = 1024 * 1024;

/** A watchdog on a hand-driven clock and hand-set process figures; checks run when the test says. */
function harness() {
  const state = { now: 0, rss: 500 * MB, main: 100 * MB };
  const verdicts: Array<{ key: string } & MemoryVerdict> = [];
  const watchdog = new MemoryWatchdog<string>({
    limitBytes: 300 * MB,
    intervalMs: 100,
    staleMs: 500,
    processRss: () => state.rss,
    mainThreadBytes: () => state.main,
    now: () => state.now,
    onOverLimit: (key, verdict) => verdicts.push({ key, ...verdict }),
  });
  const tick = (ms: number): void => {
    state.now += ms;
    watchdog.check();
  };
  return { state, verdicts, watchdog, tick };
}

describe('MemoryWatchdog', () => {
  const stops: Array<() => void> = [];
  afterEach(() => stops.splice(0).forEach((stop) => stop()));

  it('stops a worker whose own report is over the limit, once, and says the figure was measured', () => {
    const { verdicts, watchdog, tick } = harness();
    stops.push(() => watchdog.stop());
    watchdog.watch('a');
    watchdog.report('a', 200 * MB);
    tick(100);
    expect(verdicts).toEqual([]);
    watchdog.report('a', 320 * MB);
    tick(100);
    tick(100);
    expect(verdicts).toEqual([{ key: 'a', bytes: 320 * MB, estimated: false, ambiguous: false }]);
  });

  it('estimates a silent worker from the growth of the process, less the main thread', () => {
    const { state, verdicts, watchdog, tick } = harness();
    stops.push(() => watchdog.stop());
    watchdog.watch('a');
    watchdog.report('a', 50 * MB);
    // Silent from here on; the process grows by 400 MB, 150 MB of it in the main thread.
    for (let i = 0; i < 4; i++) tick(100);
    state.rss += 400 * MB;
    state.main += 150 * MB;
    tick(100);
    expect(verdicts).toEqual([]); // silent for 500 ms, not more: its report (50 MB) stands
    tick(100);
    expect(verdicts).toEqual([]); // 50 + (400 - 150) = 300 MB: at the limit, not over it
    state.rss += 10 * MB;
    tick(100);
    expect(verdicts).toEqual([{ key: 'a', bytes: 310 * MB, estimated: true, ambiguous: false }]);
  });

  it('marks an estimate as ambiguous while another worker is busy', () => {
    const { state, verdicts, watchdog, tick } = harness();
    stops.push(() => watchdog.stop());
    watchdog.watch('a');
    watchdog.watch('b');
    for (let i = 0; i < 6; i++) {
      watchdog.report('b', 20 * MB); // b keeps reporting: only a is silent
      tick(100);
    }
    state.rss += 400 * MB;
    watchdog.report('b', 20 * MB);
    tick(100);
    expect(verdicts).toEqual([{ key: 'a', bytes: 400 * MB, estimated: true, ambiguous: true }]);
  });

  it('makes no estimate in a check that ran late (reports may be waiting behind a busy main thread)', () => {
    const { state, verdicts, watchdog, tick } = harness();
    stops.push(() => watchdog.stop());
    watchdog.watch('a');
    state.rss += 900 * MB;
    tick(2000);
    expect(verdicts).toEqual([]);
    watchdog.report('a', 10 * MB);
    tick(100);
    expect(verdicts).toEqual([]);
    // Still silent and still over after the queue drained: now it counts.
    for (let i = 0; i < 5; i++) tick(100);
    state.rss += 350 * MB;
    tick(100);
    expect(verdicts).toEqual([{ key: 'a', bytes: 360 * MB, estimated: true, ambiguous: false }]);
  });

  it('forgets a worker that is no longer watched', () => {
    const { verdicts, watchdog, tick } = harness();
    watchdog.watch('a');
    watchdog.unwatch('a');
    watchdog.report('a', 900 * MB);
    tick(100);
    expect(verdicts).toEqual([]);
  });
});

describe('MemoryReporter', () => {
  it('reports when work starts, but at most once an interval however many jobs start', () => {
    vi.useFakeTimers();
    try {
      let now = 0;
      const sent: number[] = [];
      const reporter = new MemoryReporter(
        () => sent.push(now),
        100,
        () => now,
      );
      // A thousand small jobs in a row, 1 ms each: a report per interval, not one per job.
      for (let job = 0; job < 1000; job++) {
        reporter.begin();
        now += 1;
        vi.advanceTimersByTime(1);
        reporter.end();
      }
      expect(sent).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
      // A long job reports on the interval while it runs.
      reporter.begin();
      for (let ms = 0; ms < 350; ms += 50) {
        now += 50;
        vi.advanceTimersByTime(50);
      }
      reporter.end();
      expect(sent.slice(10)).toEqual([1000, 1100, 1200, 1300]);
      // Work after a pause reports at once.
      now += 500;
      reporter.begin();
      reporter.end();
      expect(sent.at(-1)).toBe(1850);
    } finally {
      vi.useRealTimers();
    }
  });
});
