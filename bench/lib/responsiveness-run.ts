import { monitorEventLoopDelay } from 'node:perf_hooks';
import { addFolder } from '../../src/main/cli/connectors.command';
import { createCore, type Core } from '../../src/main/core/app';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store';
import type { SearchMode } from '../../src/main/core/search/types';
import { corpusQueries } from './ingest-corpus';
import { mainThreadCpuMs, sampleRss } from './ingest-memory';
import { loadAverage } from './ingest-run';
import { LOOP_RESOLUTION_MS, loopDelay, type LoopDelay } from './loop-delay';
import { SearchLoad, summarise, type LatencySummary, type SearchSample } from './search-load';

/** One line of the timeline: progress and search latency in the window that ended at `atMs`. */
export interface TimelinePoint {
  atMs: number;
  chunks: number;
  vectors: number;
  searches: number;
  p95: number;
  max: number;
}

/** What the child measured; printed as one JSON line. */
export interface ResponsivenessResult {
  modelId: string;
  /** Download from the hub, verification and load, ms (before the folder is added). */
  modelReadyMs: number;
  documents: Record<string, number>;
  chunks: number;
  vectors: number;
  /** From adding the folder to the first search that returned a document, ms; null if none did. */
  firstResultMs: number | null;
  /** From adding the folder to the queue being idle with every chunk embedded, ms. */
  allEmbeddedMs: number;
  /** Hybrid searches issued while indexing (one every `intervalMs`). */
  indexing: LatencySummary & { errors: number; empty: number; keywordOnly: number; intervalMs: number };
  idle: Record<SearchMode, LatencySummary>;
  loopDelay: { indexing: LoopDelay; idle: LoopDelay };
  timeline: TimelinePoint[];
  cpu: { userMs: number; systemMs: number; mainThreadMs: number | null };
  rss: { beforeBytes: number; sampledPeakBytes: number; maxBytes: number };
  loadAvgStart: string;
  loadAvgEnd: string;
}

export interface ResponsivenessOptions {
  folder: string;
  dataDir: string;
  hubUrl: string;
  modelId: string;
  /** A hybrid search is due this often while indexing, ms. */
  intervalMs: number;
  /** Searches per mode once idle. */
  idleSearches: number;
  /** Progress lines while indexing, every this many ms. */
  timelineMs: number;
  log: (line: string) => void;
}

const count = (core: Core, sqlText: string): number => (core.db.prepare(sqlText).get() as { n: number }).n;

/**
 * The app's core, as `trove serve` and the desktop app create it (background
 * work on: queue, watcher, embedder), on a fresh data folder: the model is
 * downloaded from the hub, verified and loaded, then the folder is added and
 * a hybrid search is due every `intervalMs` until the queue is idle and
 * every chunk has its vector; then each mode is searched `idleSearches`
 * times. Latency counts from when a search was due (see SearchLoad).
 */
export async function runResponsiveness(options: ResponsivenessOptions): Promise<ResponsivenessResult> {
  const core = await createCore({
    dataDir: options.dataDir,
    secrets: new MemorySecretStore(),
    modelHubUrl: options.hubUrl,
    relay: false,
  });
  try {
    const modelStarted = performance.now();
    await core.embeddings.download(options.modelId);
    await core.embeddings.configure({ provider: 'local', modelId: options.modelId });
    const active = core.embeddings.current();
    if (!active) throw new Error(`the model did not load: ${JSON.stringify(core.embeddings.state().error)}`);
    await core.idle();
    const modelReadyMs = performance.now() - modelStarted;

    const queries = corpusQueries(4000);
    let nextQuery = 0;
    const take = (n: number): string[] => queries.slice(nextQuery, (nextQuery += n));
    const search = (mode: SearchMode) => (query: string) => core.search.search({ query, mode, limit: 10 });

    const loadAvgStart = loadAverage();
    const rssBeforeBytes = process.memoryUsage.rss();
    const memory = sampleRss(50);
    const cpuBefore = process.cpuUsage();
    const mainBefore = mainThreadCpuMs();
    const histogram = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    histogram.enable();

    const timeline: TimelinePoint[] = [];
    let windowSamples: SearchSample[] = [];
    let firstResultMs: number | null = null;
    const started = performance.now();
    const load = new SearchLoad(search('hybrid'), take(3000), options.intervalMs, (sample) => {
      windowSamples.push(sample);
      if (firstResultMs === null && sample.groups > 0) firstResultMs = sample.dueMs + sample.latencyMs;
    });
    const progress = setInterval(() => {
      const point: TimelinePoint = {
        atMs: performance.now() - started,
        chunks: count(core, 'SELECT count(*) AS n FROM imported_doc_chunks'),
        vectors: core.repos.vectors.count(active.space),
        ...(({ count: searches, p95, max }) => ({ searches, p95, max }))(summarise(windowSamples)),
      };
      windowSamples = [];
      timeline.push(point);
      options.log(
        `  ${(point.atMs / 1000).toFixed(0).padStart(4)} s  chunks ${String(point.chunks).padStart(6)}  vectors ${String(point.vectors).padStart(6)}  ` +
          `searches ${String(point.searches).padStart(3)}  p95 ${point.p95.toFixed(0).padStart(5)} ms  max ${point.max.toFixed(0).padStart(5)} ms`,
      );
    }, options.timelineMs);

    await addFolder(core, options.folder, { name: 'responsiveness' });
    await core.idle();
    const allEmbeddedMs = performance.now() - started;
    clearInterval(progress);
    const indexingSamples = await load.stop();
    histogram.disable();
    const indexingDelay = loopDelay(histogram);
    const cpu = process.cpuUsage(cpuBefore);
    const mainAfter = mainThreadCpuMs();
    const peak = memory.stop();

    const chunks = count(core, 'SELECT count(*) AS n FROM imported_doc_chunks');
    const vectors = core.repos.vectors.count(active.space);

    histogram.reset();
    histogram.enable();
    const idle = {} as Record<SearchMode, LatencySummary>;
    for (const mode of ['hybrid', 'keyword', 'semantic'] as const) {
      // One search at a time, each query new to the query-vector cache.
      const samples: SearchSample[] = [];
      for (const query of take(options.idleSearches)) {
        // A keyword search resolves without a macrotask: without this, back-to-back searches would
        // hold the event loop for the whole phase and show as one long delay.
        await new Promise((resolve) => setImmediate(resolve));
        const started = performance.now();
        const answer = await search(mode)(query);
        samples.push({
          dueMs: 0,
          latencyMs: performance.now() - started,
          groups: answer.groups.length,
          mode: answer.mode,
        });
      }
      idle[mode] = summarise(samples);
    }
    histogram.disable();

    return {
      modelId: options.modelId,
      modelReadyMs,
      documents: Object.fromEntries(Object.entries(core.repos.documents.countsByStatus()).filter(([, n]) => n > 0)),
      chunks,
      vectors,
      firstResultMs,
      allEmbeddedMs,
      indexing: {
        ...summarise(indexingSamples),
        errors: indexingSamples.filter((s) => s.error !== undefined).length,
        empty: indexingSamples.filter((s) => s.error === undefined && s.groups === 0).length,
        keywordOnly: indexingSamples.filter((s) => s.mode === 'keyword').length,
        intervalMs: options.intervalMs,
      },
      idle,
      loopDelay: { indexing: indexingDelay, idle: loopDelay(histogram) },
      timeline,
      cpu: {
        userMs: cpu.user / 1000,
        systemMs: cpu.system / 1000,
        mainThreadMs: mainBefore === null || mainAfter === null ? null : mainAfter - mainBefore,
      },
      rss: { beforeBytes: rssBeforeBytes, sampledPeakBytes: peak.sampledPeakRss, maxBytes: peak.maxRss },
      loadAvgStart,
      loadAvgEnd: loadAverage(),
    };
  } finally {
    await core.close();
  }
}
