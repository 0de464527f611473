/**
 * Keyword (FTS5 BM25) search speed on synthetic libraries (npm run bench:keyword-speed).
 *
 *   npm run bench:keyword-speed                         # 100,000 and 1,000,000 chunks
 *   npm run bench:keyword-speed -- --sizes=100000       # quick run
 *   options: --queries=200 --keep=DIR (keep each built library in DIR and reuse it next time)
 *
 * Builds a text + FTS library (no vectors) from the same generator and
 * queries as bench/search-speed.bench.ts, then prints warm p50/p95 of the
 * exact FTS5 query and of the planned one keywordSearch uses by default, and
 * how closely the planned ranking follows the exact one (recall@10, @100);
 * then the service's search, its next page and the same search again, and
 * with a narrow and a wider `type:` filter.
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/main/core/db/open';
import {
  markFilterTypes,
  measureFiltered,
  measureKeyword,
  measurePlanning,
  measureRepeats,
} from './lib/keyword-measure';
import { applyBenchPragmas, benchPragmasLabel, createBenchStore, formatBytes } from './lib/store';
import { SyntheticWorld } from './lib/synthetic';
import { CHUNKS_PER_DOC, SYNTHETIC_BATCH, syntheticBatch, syntheticQueries } from './lib/synthetic-library';
import type { LatencyStats } from './lib/timing';
import type { Database } from 'better-sqlite3';
import { benchArgs, sizesArg } from './lib/args';

const args = benchArgs();
const SIZES = sizesArg(args);
const QUERIES = Number.parseInt(args.get('queries') ?? '200', 10);
/** Folder where built libraries are kept and reused; none by default (a fresh temp library per run). */
const KEEP_DIR = args.has('keep')
  ? args.get('keep') === 'true'
    ? path.join(os.tmpdir(), 'trove-keyword-bench')
    : args.get('keep')!
  : null;

const log = (line: string): void => console.log(line);
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const fmt = (s: LatencyStats): string =>
  `p50 ${s.p50.toFixed(1).padStart(7)} ms   p95 ${s.p95.toFixed(1).padStart(7)} ms   (n=${s.count})`;

function build(world: SyntheticWorld, size: number): { db: Database; file: string; dispose: () => void } {
  const store = createBenchStore('trove-keyword-');
  const started = performance.now();
  for (let start = 0; start < size; start += SYNTHETIC_BATCH) {
    store.addDocuments(syntheticBatch(world, start, size).docs);
    if ((start / SYNTHETIC_BATCH) % 20 === 19) log(`  ... ${start + SYNTHETIC_BATCH} chunks written`);
  }
  const textMs = performance.now() - started;
  const t = performance.now();
  store.db.exec(`INSERT INTO chunks_fts(chunks_fts) VALUES ('optimize')`);
  const optimizeMs = performance.now() - t;
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  log(
    `  build: text+FTS ${secs(textMs)}, FTS optimize ${secs(optimizeMs)}; on disk ${formatBytes(store.sizeOnDisk())}`,
  );
  if (!KEEP_DIR) return { db: store.db, file: store.file, dispose: store.close };
  store.db.close();
  mkdirSync(KEEP_DIR, { recursive: true });
  const kept = keptFile(size);
  renameSync(store.file, kept);
  store.close();
  return { ...openKept(kept), file: kept };
}

function keptFile(size: number): string {
  return path.join(KEEP_DIR!, `keyword-${size}.db`);
}

function openKept(file: string): { db: Database; dispose: () => void } {
  const db = openDatabase(file);
  applyBenchPragmas(db);
  return { db, dispose: () => db.close() };
}

async function runSize(world: SyntheticWorld, size: number, queries: string[]): Promise<void> {
  log(
    `\n=== ${size.toLocaleString('en-US')} chunks (${(size / CHUNKS_PER_DOC).toLocaleString('en-US')} documents) ===`,
  );
  const reuse = KEEP_DIR !== null && existsSync(keptFile(size));
  const lib = reuse ? { ...openKept(keptFile(size)), file: keptFile(size) } : build(world, size);
  if (reuse) log(`  reusing ${lib.file}`);
  try {
    const m = measureKeyword(lib.db, queries);
    log(`  exact FTS5 BM25 (OR of all terms)   ${fmt(m.exact)}`);
    log(`  planned (default keywordSearch)     ${fmt(m.planned)}`);
    log(`  planned + word-pair proximity pass  ${fmt(m.withProximity)}   (what the service runs)`);
    log(
      `  planned vs exact: recall@10 ${m.recall10.toFixed(3)}, recall@100 ${m.recall100.toFixed(3)}, ` +
        `same top-10 order ${m.sameOrder10}/${m.queries}; split plan used for ${m.splitPlans}/${m.queries} queries ` +
        `(${m.fallbacks} more fell back to the exact query)`,
    );
    const r = await measureRepeats(lib.db, queries);
    log(`  service search, 20 a page           ${fmt(r.first)}`);
    log(`    its Load more (next page)         ${fmt(r.next)}`);
    log(`    the same search again             ${fmt(r.again)}   (keyword list remembered)`);
    markFilterTypes(lib.db);
    const f = measureFiltered(lib.db, queries);
    log(`  with type: keeping 1% of documents  ${fmt(f.narrow)}`);
    log(`  with type: keeping 20% of documents ${fmt(f.wide)}`);
    const p = measurePlanning(lib.db, queries);
    log(`  query planning, as typed            ${fmt(p.asTyped)}`);
    log(`  query planning, first word misspelt ${fmt(p.misspelt)}   (corrected back: ${p.corrected}/${p.queries})`);
  } finally {
    lib.dispose();
    if (KEEP_DIR) log(`  kept the library at ${lib.file}`);
  }
}

async function main(): Promise<void> {
  log(`keyword-speed: sizes ${SIZES.join(', ')}; ${QUERIES} queries; node ${process.version}`);
  log(
    `sqlite: ${benchPragmasLabel()}; machine load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${os.cpus().length} cores`,
  );
  const world = new SyntheticWorld();
  const { texts } = syntheticQueries(world, QUERIES);
  for (const size of SIZES) await runSize(world, size, texts);
  log(
    `\nsizes run: ${SIZES.join(', ')}; load average at the end ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

await main();
