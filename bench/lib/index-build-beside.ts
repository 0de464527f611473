import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Database } from 'better-sqlite3';
import { systemClock } from '../../src/main/core/clock';
import type { SearchService } from '../../src/main/core/search/search.service';
import { EmbeddingSpacesRepo } from '../../src/main/core/store/embedding-spaces.repo';
import { rebuildQuantizedIndex } from '../../src/main/core/store/ivf-build-in-worker';
import { LOOP_RESOLUTION_MS, loopDelay, type LoopDelay } from './loop-delay';
import { SearchLoad, summarise, type LatencySummary } from './search-load';

/** What the app's main thread saw while the fast-search index was rebuilt beside the one in use. */
export interface BuildBesideResult {
  buildMs: number;
  lists: number;
  /** Hybrid searches due every `intervalMs`, latency from when each was due (SearchLoad). */
  searches: LatencySummary;
  intervalMs: number;
  /** How long the event loop could not run. */
  loop: LoopDelay;
}

/**
 * Rebuilds the active space's fast-search index as maintain_search_index
 * does in the app (a worker thread, in steps; store/ivf-rebuild.ts) while
 * this thread, standing in for the app's main thread, has a hybrid search
 * due every `intervalMs` (SearchLoad, as bench:responsiveness) and the
 * event loop's delay is sampled. Searches use the index in use, then the
 * new one once it is switched in.
 */
export async function measureBuildBeside(
  db: Database,
  service: SearchService,
  queryTexts: readonly string[],
  intervalMs = 100,
): Promise<BuildBesideResult> {
  const space = new EmbeddingSpacesRepo(db, systemClock).getActive();
  if (!space) throw new Error('no active space to rebuild');
  const histogram = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  histogram.enable();
  const started = performance.now();
  const load = new SearchLoad((query) => service.search({ query, mode: 'hybrid', limit: 10 }), queryTexts, intervalMs);
  const report = await rebuildQuantizedIndex(db, systemClock, space.id);
  const buildMs = performance.now() - started;
  const samples = await load.stop();
  histogram.disable();
  return { buildMs, lists: report?.lists ?? 0, searches: summarise(samples), intervalMs, loop: loopDelay(histogram) };
}
