/**
 * The library of the start-up benchmarks (bench/cli.bench.ts, bench/mcp.bench.ts):
 * `chunks` synthetic chunks (5 per document) written straight into a fresh
 * data folder, and keyword queries drawn from the same world, as
 * bench/keyword-speed.bench.ts draws them.
 */
import { rmSync } from 'node:fs';
import { percentile } from './metrics';
import { createBenchStore, formatBytes } from './store';
import { SyntheticWorld } from './synthetic';
import { SYNTHETIC_BATCH, syntheticBatch, syntheticQueries } from './synthetic-library';

export interface BenchLibrary {
  dataDir: string;
  queries: string[];
  dispose(): void;
}

export function buildBenchLibrary(chunks: number, queryCount: number): BenchLibrary {
  const started = performance.now();
  const world = new SyntheticWorld();
  const store = createBenchStore('trove-cli-bench-');
  for (let start = 0; start < chunks; start += SYNTHETIC_BATCH) {
    store.addDocuments(syntheticBatch(world, start, chunks).docs);
  }
  store.db.exec(`INSERT INTO chunks_fts(chunks_fts) VALUES ('optimize')`);
  const size = store.sizeOnDisk();
  // Closed (and checkpointed), so every timed process opens it as a person's library.
  store.db.close();
  console.log(
    `library: ${chunks.toLocaleString('en')} chunks, ${formatBytes(size)}, built in ${Math.round(performance.now() - started)} ms (${store.dir})`,
  );
  return {
    dataDir: store.dir,
    queries: syntheticQueries(world, queryCount).texts,
    dispose: () => rmSync(store.dir, { recursive: true, force: true }),
  };
}

/** `p50 … ms  p95 … ms  max … ms  (n=…)` of a list of timings. */
export function formatTimings(ms: readonly number[]): string {
  const f = (v: number): string => `${v.toFixed(1).padStart(7)} ms`;
  return `p50 ${f(percentile(ms, 50))}   p95 ${f(percentile(ms, 95))}   max ${f(Math.max(...ms))}   (n=${ms.length})`;
}
