/**
 * Search speed on synthetic libraries (npm run bench:search-speed).
 *
 *   npm run bench:search-speed                       # 100,000 and 1,000,000 chunks
 *   npm run bench:search-speed -- --sizes=100000     # quick run
 *   options: --queries=200 --exact-queries=N --no-lancedb --keep (leave the temp database on disk)
 *            --model=tiny|standin|standin-12 (default standin) --no-query-model
 *   iterating on one size without rebuilding it:
 *     --keep --build-only                  build, keep the database, skip the queries
 *     --reuse=/tmp/trove-speed-x/trove.db  search a kept database (one size); exact top 10s are cached beside it
 *     --rebuild-index                      with --reuse: rebuild only the quantised index (timed)
 *     --grid-only                          stop after the recall/latency grid (whole lists x probes x per-list k)
 *     --grid-whole=1,2 --grid-probes=12,25,50 --grid-per-list=16,32,64   the grid's settings
 *   --no-build-beside   skip rebuilding the quantised index as the app does (in a worker, beside the
 *                       index in use) while hybrid searches run every 100 ms on this thread
 *
 * For each size: build time (text + FTS, float vectors, bit copy), size on
 * disk, then warm p50/p95 latency over the real SearchService for keyword,
 * semantic (exact and quantised) and hybrid queries, the recall@10 of the
 * quantised first pass against exact KNN, and the same vectors and queries in
 * LanceDB (flat scan and IVF-PQ) as ratios to ours. The search figures
 * exclude query embedding: a fake embedder hands back each query's
 * precomputed vector (the library's vectors are synthetic, so a model's
 * vectors would find nothing). The query path is then measured with a real
 * model's cost: `--model` (default the full-size stand-in of the default
 * model, bench/lib/bench-model.ts) embeds each query through Trove's
 * embedder, as the app does, before the search runs on the precomputed
 * vector; printed are query embedding alone and semantic/hybrid end to end.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { silentLogger } from '../src/main/core/logger';
import { systemClock } from '../src/main/core/clock';
import { openDatabase } from '../src/main/core/db/open';
import { spaceKey, type EmbeddingSpace } from '../src/main/core/embeddings/types';
import { SearchService, type SearchTuning } from '../src/main/core/search/search.service';
import {
  DEFAULT_WHOLE_LISTS,
  defaultPerListK,
  defaultProbes,
  semanticSearch,
} from '../src/main/core/search/semantic-search';
import type { SearchMode } from '../src/main/core/search/types';
import { EmbeddingSpacesRepo, type SpaceRow } from '../src/main/core/store/embedding-spaces.repo';
import { VectorsRepo } from '../src/main/core/store/vectors.repo';
import { sql } from '../src/main/core/db/sql';
import type { Database } from 'better-sqlite3';
import { runLanceDb, type LanceResult } from './lib/lancedb-compare';
import { mean, overlapAt, percentile } from './lib/metrics';
import { applyBenchPragmas, benchPragmasLabel, createBenchStore, formatBytes, type BenchStore } from './lib/store';
import { DEFAULT_SYNTHETIC, SyntheticWorld } from './lib/synthetic';
import { CHUNKS_PER_DOC, SYNTHETIC_BATCH as BATCH, syntheticBatch, syntheticQueries } from './lib/synthetic-library';
import { formatLatency, timeQueries } from './lib/timing';
import { measureQueryPath, PrecomputedEmbedder } from './lib/query-path';
import { benchArgs, modelArg, sizesArg } from './lib/args';
import { openBenchEmbedder, type OpenedBenchEmbedder } from './lib/bench-model';
import { measureBuildBeside } from './lib/index-build-beside';

const args = benchArgs();
const SIZES = sizesArg(args);
const QUERIES = Number.parseInt(args.get('queries') ?? '200', 10);
const WITH_LANCE = !args.has('no-lancedb');
/** The model whose cost the query path pays (none with --no-query-model). */
const QUERY_MODEL = args.has('no-query-model') ? null : modelArg(args, 'standin');
/** Keep the temporary database for inspection instead of deleting it. */
const KEEP = args.has('keep');
/** Stop after building (with --keep: make a database for --reuse). */
const BUILD_ONLY = args.has('build-only');
/** A database kept by an earlier run (`--keep`) to search instead of building one. */
const REUSE = args.get('reuse');
/** With --reuse: rebuild the quantised index first (to time the build alone). */
const REBUILD_INDEX = args.has('rebuild-index');
/** Stop after the quantised recall/latency grid (iterating on query-side settings). */
const GRID_ONLY = args.has('grid-only');
/** Rebuild the index as the app does, beside the one in use, while searching (last, after the search figures). */
const BUILD_BESIDE = !args.has('no-build-beside');
const DIMS = DEFAULT_SYNTHETIC.dims;
const SPACE: EmbeddingSpace = { provider: 'local', model: 'synthetic/clustered', dimensions: DIMS };
const TARGET_P95 = new Map([
  [100_000, 50],
  [1_000_000, 150],
]);

const log = (line: string): void => console.log(line);
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const fmt = formatLatency;

/** What the queries need of a store: a freshly built BenchStore or a reused file. */
type ReusedStore = Pick<BenchStore, 'db' | 'file' | 'close'>;

interface Built {
  store: ReusedStore;
  space: SpaceRow;
  /** All vectors, row i = chunk id ids[i]. */
  vectors: Float32Array;
  ids: Int32Array;
}

/** (Re)builds the quantised index of the space and logs where the time went. */
function buildQuantised(db: Database, spaceId: number): { space: SpaceRow; ms: number } {
  const started = performance.now();
  const { space, report: ivf } = new EmbeddingSpacesRepo(db, systemClock).rebuildQuantized(spaceId);
  const ms = performance.now() - started;
  log(
    `  IVF index: ${ivf.lists} lists over ${ivf.vectors} vectors (k-means sample ${ivf.sample}); rescoring copy ${secs(ivf.copyMs)}, k-means ${secs(ivf.trainMs)}, ` +
      `assignment ${secs(ivf.assignMs)}, table writes ${secs(ivf.writeMs)}; total ${secs(ms)}; ` +
      `default probes ${defaultProbes(ivf.lists)}, ${defaultPerListK()} per list`,
  );
  return { space, ms };
}

/** Opens a database kept by an earlier run; the vectors are read back only when LanceDB needs them. */
function reuse(file: string): Built {
  const db = openDatabase(file);
  applyBenchPragmas(db);
  let space = new EmbeddingSpacesRepo(db, systemClock).byKey(spaceKey(SPACE));
  if (!space) throw new Error(`${file} holds no ${spaceKey(SPACE)} space`);
  if (REBUILD_INDEX) space = buildQuantised(db, space.id).space;
  let ids = new Int32Array(0);
  let vectors = new Float32Array(0);
  if (WITH_LANCE) {
    const q = sql`SELECT rowid, embedding FROM ${sql.ident(space.vectorTable)} ORDER BY rowid`;
    const rows = db.prepare(q.text).raw().all() as Array<[number, Buffer]>;
    ids = Int32Array.from(rows, (r) => r[0]);
    vectors = new Float32Array(rows.length * DIMS);
    rows.forEach(([, b], i) => vectors.set(new Float32Array(b.buffer, b.byteOffset, DIMS), i * DIMS));
  }
  const store: ReusedStore = { db, file, close: () => db.close() };
  return { store, space, vectors, ids };
}

/** Exact top 10s per query, cached beside a reused database (exact KNN at 1M costs ~0.5 s a query). */
function exactTruth(built: Built, queryVectors: Float32Array[]): number[][] {
  const cache = REUSE ? `${REUSE}.truth-${queryVectors.length}.json` : undefined;
  if (cache && existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8')) as number[][];
  const truth = queryVectors.map((v) =>
    semanticSearch(built.store.db, { ...built.space, quantized: false }, v, undefined, { pool: 10 }).map(
      (h) => h.chunkId,
    ),
  );
  if (cache) writeFileSync(cache, JSON.stringify(truth));
  return truth;
}

function build(world: SyntheticWorld, size: number): Built {
  const store = createBenchStore('trove-speed-');
  const spaces = new EmbeddingSpacesRepo(store.db, systemClock);
  let space = spaces.ensure(SPACE);
  spaces.setActive(space.id);
  const repo = new VectorsRepo(store.db);
  const vectors = new Float32Array(size * DIMS);
  const ids = new Int32Array(size);
  let textMs = 0;
  let vectorMs = 0;
  const writeVectors = store.db.transaction((items: Array<{ chunkId: number; vector: Float32Array }>) =>
    repo.upsert(space, items),
  );
  for (let start = 0; start < size; start += BATCH) {
    const { docs, clusterOf, random } = syntheticBatch(world, start, size);
    let t = performance.now();
    const chunkIds = store.addDocuments(docs).flat();
    textMs += performance.now() - t;
    chunkIds.forEach((chunkId, i) => {
      ids[start + i] = chunkId;
      world.vectorNear(clusterOf[i]!, random, vectors, (start + i) * DIMS);
    });
    t = performance.now();
    writeVectors(
      chunkIds.map((chunkId, i) => ({ chunkId, vector: vectors.subarray((start + i) * DIMS, (start + i + 1) * DIMS) })),
    );
    vectorMs += performance.now() - t;
    if ((start / BATCH) % 10 === 9) log(`  ... ${start + BATCH} chunks written`);
  }
  const rebuilt = buildQuantised(store.db, space.id);
  space = rebuilt.space;
  const bitsMs = rebuilt.ms;
  const t = performance.now();
  store.db.exec(`INSERT INTO chunks_fts(chunks_fts) VALUES ('optimize')`);
  const optimizeMs = performance.now() - t;
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  log(
    `  build: text+FTS ${secs(textMs)}, float vectors ${secs(vectorMs)}, quantised index (bits + IVF) ${secs(bitsMs)}, FTS optimize ${secs(optimizeMs)}; ` +
      `total ${secs(textMs + vectorMs + bitsMs + optimizeMs)}; on disk ${formatBytes(store.sizeOnDisk())}`,
  );
  return { store, space, vectors, ids };
}

async function runSize(world: SyntheticWorld, size: number, queryModel: OpenedBenchEmbedder | null): Promise<void> {
  log(
    `\n=== ${size.toLocaleString('en-US')} chunks (${(size / CHUNKS_PER_DOC).toLocaleString('en-US')} documents, ${DIMS} dims, ${world.options.clusters} clusters) ===`,
  );
  const built = REUSE ? reuse(REUSE) : build(world, size);
  const { store, space } = built;
  try {
    if (BUILD_ONLY) return;
    const { texts: queryTexts, vectors: queryVectors } = syntheticQueries(world, QUERIES);
    const byText = new Map(queryTexts.map((text, i) => [text, queryVectors[i]!]));
    const embedder = new PrecomputedEmbedder(SPACE, byText);
    const service = (tuning: SearchTuning = {}) =>
      new SearchService({
        db: store.db,
        clock: systemClock,
        getEmbedder: () => embedder,
        logger: silentLogger,
        tuning,
      });
    const quantised = service();
    const exact = service({ useQuantized: false });
    const exactQueries = Number.parseInt(args.get('exact-queries') ?? String(size > 200_000 ? 50 : QUERIES), 10);
    const run = (s: SearchService, mode: SearchMode) => (q: string) => s.search({ query: q, mode, limit: 10 });

    // Ground truth: exact KNN top 10 (raw, no service overhead), timed too.
    const truth = exactTruth(built, queryVectors);
    const exactKnn = GRID_ONLY
      ? undefined
      : await timeQueries(
          queryVectors.slice(0, exactQueries),
          (v) => semanticSearch(store.db, { ...space, quantized: false }, v, undefined, { pool: 10 }),
          2,
        );
    // Recall@10 of the quantised path (IVF probe + Hamming first pass + rescoring) and its raw latency, per setting.
    const quantisedAt = (setting: { wholeLists?: number; probes?: number; perListK?: number }) => {
      const times: number[] = [];
      const overlaps = queryVectors.map((v, i) => {
        const started = performance.now();
        const ids = semanticSearch(store.db, space, v, undefined, { pool: 10, ...setting }).map((h) => h.chunkId);
        times.push(performance.now() - started);
        return overlapAt(ids, truth[i]!, 10);
      });
      return { ...setting, recall: mean(overlaps), p50: percentile(times, 50), p95: percentile(times, 95) };
    };
    const probesDefault = defaultProbes(space.ivfLists);
    const gridOf = (name: string, fallback: number[]) =>
      (args.has(name)
        ? args
            .get(name)!
            .split(',')
            .map((x) => Number.parseInt(x, 10))
        : fallback
      ).filter((x) => x >= 0);
    const wholeSettings = gridOf('grid-whole', [1, 2]);
    const probeSettings = gridOf('grid-probes', [
      ...new Set([probesDefault / 2, probesDefault, probesDefault * 2].map(Math.ceil)),
    ]).filter((p) => p >= 1 && p <= space.ivfLists);
    const perListSettings = gridOf('grid-per-list', [16, 32, 64]);
    // Warm-up over every query: the first pass over the probed lists pages them in, which would bill the defaults.
    for (const v of queryVectors) semanticSearch(store.db, space, v, undefined, { pool: 10 });
    const defaults = quantisedAt({});
    const settings =
      space.ivfLists > 1
        ? wholeSettings.flatMap((wholeLists) =>
            probeSettings.flatMap((probes) =>
              perListSettings.map((perListK) => quantisedAt({ wholeLists, probes, perListK })),
            ),
          )
        : [];
    const serviceRecall = defaults.recall;

    if (exactKnn) log(`  raw KNN k=10, exact (vec0 float scan)          ${fmt(exactKnn)}`);
    log(
      `  raw KNN k=10, quantised (defaults: ${probesDefault} of ${space.ivfLists} lists, nearest ${DEFAULT_WHOLE_LISTS} whole, ${defaultPerListK()} from each other): ` +
        `recall@10 ${defaults.recall.toFixed(3)}   p50 ${defaults.p50.toFixed(1)} ms   p95 ${defaults.p95.toFixed(1)} ms   (n=${queryVectors.length})`,
    );
    if (settings.length > 0) {
      log(`  recall@10 of quantised vs exact, raw KNN latency per setting (${queryVectors.length} queries):`);
    }
    for (const x of settings) {
      log(
        `    whole ${x.wholeLists}, probes ${String(x.probes).padStart(4)}, ${String(x.perListK).padStart(3)} per other list: ` +
          `recall ${x.recall.toFixed(3)}   p50 ${x.p50.toFixed(1).padStart(6)} ms   p95 ${x.p95.toFixed(1).padStart(6)} ms`,
      );
    }
    if (GRID_ONLY) return;

    const keyword = await timeQueries(queryTexts, run(quantised, 'keyword'));
    const semanticQ = await timeQueries(queryTexts, run(quantised, 'semantic'));
    const hybridQ = await timeQueries(queryTexts, run(quantised, 'hybrid'));
    const semanticE = await timeQueries(queryTexts.slice(0, exactQueries), run(exact, 'semantic'), 2);
    const hybridE = await timeQueries(queryTexts.slice(0, exactQueries), run(exact, 'hybrid'), 2);

    log(`  service keyword                                ${fmt(keyword)}`);
    log(`  service semantic, exact                        ${fmt(semanticE)}`);
    log(`  service semantic, quantised                    ${fmt(semanticQ)}`);
    log(`  service hybrid, exact                          ${fmt(hybridE)}`);
    log(`  service hybrid, quantised                      ${fmt(hybridQ)}`);
    if (queryModel) await measureQueryPath({ db: store.db, space: SPACE, queryTexts, byText, model: queryModel, log });
    const target = TARGET_P95.get(size);
    if (target !== undefined) {
      const recall100 = serviceRecall;
      log(
        `  target: hybrid p95 < ${target} ms -> ${hybridQ.p95.toFixed(1)} ms ${hybridQ.p95 < target ? 'PASS' : 'FAIL'}; ` +
          `recall@10 >= 0.95 -> ${recall100.toFixed(3)} ${recall100 >= 0.95 ? 'PASS' : 'FAIL'}`,
      );
    }

    if (BUILD_BESIDE) {
      const beside = await measureBuildBeside(store.db, quantised, queryTexts);
      const { searches, loop } = beside;
      log(
        `  quantised index rebuilt as the app does it (worker thread, in steps, beside the index in use): ${secs(beside.buildMs)}, ${beside.lists} lists; ` +
          `meanwhile ${searches.count} hybrid searches, one due every ${beside.intervalMs} ms (latency from when due): p50 ${searches.p50.toFixed(1)} ms, ` +
          `p95 ${searches.p95.toFixed(1)} ms, max ${searches.max.toFixed(1)} ms; event loop delay p99 ${loop.p99.toFixed(0)} ms, max ${loop.max.toFixed(0)} ms ` +
          `(built in one transaction on this thread, as before, the loop stops for the whole build)`,
      );
    }

    if (WITH_LANCE) {
      log('  LanceDB (same vectors, same queries):');
      const lance: LanceResult = await runLanceDb({
        ids: built.ids,
        vectors: built.vectors,
        dims: DIMS,
        queries: queryVectors,
        truth,
        log: (l) => log(l),
      });
      const ratio = (theirs: number, ours: number): string => `${(theirs / ours).toFixed(2)}x`;
      log(`  lancedb build ${secs(lance.buildMs)}, IVF-PQ index ${secs(lance.indexMs)}`);
      log(
        `  ratio lancedb/ours (>1 means we are faster): flat vs our exact KNN p50 ${ratio(lance.flat.p50, exactKnn!.p50)}, p95 ${ratio(lance.flat.p95, exactKnn!.p95)}; ` +
          `IVF-PQ vs our quantised KNN p50 ${ratio(lance.ivfPq.p50, defaults.p50)}, p95 ${ratio(lance.ivfPq.p95, defaults.p95)}; ` +
          `recall@10 IVF-PQ ${lance.ivfPq.recall10.toFixed(3)} vs ours ${serviceRecall.toFixed(3)}`,
      );
    }
  } finally {
    if (KEEP || REUSE) {
      store.db.close();
      log(`  kept the database at ${store.file}`);
    } else {
      store.close();
    }
  }
}

async function main(): Promise<void> {
  log(
    `search-speed: sizes ${SIZES.join(', ')}; ${QUERIES} queries per mode; LanceDB ${WITH_LANCE ? 'on' : 'off'}; node ${process.version}`,
  );
  log(
    `sqlite: ${benchPragmasLabel()}; ` +
      `machine load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${os.cpus().length} cores`,
  );
  const queryModel = QUERY_MODEL && !BUILD_ONLY ? await openBenchEmbedder(QUERY_MODEL) : null;
  log(`query path model: ${queryModel ? queryModel.model.description : 'none (--no-query-model)'}`);
  try {
    const world = new SyntheticWorld();
    for (const size of SIZES) await runSize(world, size, queryModel);
  } finally {
    await queryModel?.close();
  }
  log(`\nsizes run: ${SIZES.join(', ')}`);
}

await main();
