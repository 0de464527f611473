import { percentile } from './metrics';

export interface LatencyStats {
  p50: number;
  p95: number;
  count: number;
}

/**
 * Runs `run` once per input, sequentially, after `warmup` untimed runs over
 * the first inputs (warm caches, as a person typing would see), and returns
 * nearest-rank p50/p95 in milliseconds.
 */
export async function timeQueries<T>(
  inputs: readonly T[],
  run: (input: T) => unknown,
  warmup = 10,
): Promise<LatencyStats> {
  for (const input of inputs.slice(0, warmup)) await run(input);
  const times: number[] = [];
  for (const input of inputs) {
    const started = performance.now();
    await run(input);
    times.push(performance.now() - started);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95), count: times.length };
}

/** `p50 ... ms   p95 ... ms   (n=...)`, aligned for report columns. */
export function formatLatency(s: LatencyStats): string {
  return `p50 ${s.p50.toFixed(1).padStart(7)} ms   p95 ${s.p95.toFixed(1).padStart(7)} ms   (n=${s.count})`;
}
