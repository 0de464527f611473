import type { IntervalHistogram } from 'node:perf_hooks';

/** How long the event loop could not run, ms. */
export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

/** The event-loop delay histogram's sampling interval, ms: pass it to `monitorEventLoopDelay`. */
export const LOOP_RESOLUTION_MS = 10;

// The histogram records the whole interval between its timer's runs: the delay is what exceeds the resolution.
const delayMs = (ns: number): number => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);

/** The delays a histogram sampled at `LOOP_RESOLUTION_MS` recorded. */
export const loopDelay = (h: IntervalHistogram): LoopDelay => ({
  p50: delayMs(h.percentile(50)),
  p99: delayMs(h.percentile(99)),
  max: delayMs(h.max),
});
