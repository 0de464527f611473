import { setTimeout as sleep } from 'node:timers/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Database } from 'better-sqlite3';
import { systemClock } from '../../src/main/core/clock';
import { SearchService } from '../../src/main/core/search/search.service';
import { EmbeddingSpacesRepo } from '../../src/main/core/store/embedding-spaces.repo';
import { rebuildQuantizedIndex } from '../../src/main/core/store/ivf-build-in-worker';
import { percentile } from './metrics';

/** What the app's main thread saw while the fast-search index was rebuilt beside the one in use. */
export interface BuildBesideResult {
  buildMs: number;
  lists: number;
  searches: number;
  searchP50: number;
  searchP95: number;
  searchMax: number;
  /** Longest time the event loop could not run, ms (perf_hooks' event loop delay). */
  stallMaxMs: number;
  stallP99Ms: number;
}

/**
 * Rebuilds the active space's fast-search index as maintain_search_index
 * does in the app (a worker thread, in steps; store/ivf-rebuild.ts) while
 * this thread, standing in for the app's main thread, runs a search through
 * the service every `everyMs` ms and the event loop's delay is sampled.
 * Searches use the index in use, then the new one once it is switched in.
 */
export async function measureBuildBeside(
  db: Database,
  service: SearchService,
  queryTexts: readonly string[],
  options: { everyMs?: number; mode?: 'semantic' | 'hybrid' } = {},
): Promise<BuildBesideResult> {
  const space = new EmbeddingSpacesRepo(db, systemClock).getActive();
  if (!space) throw new Error('no active space to rebuild');
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const started = performance.now();
  let done = false;
  const build = rebuildQuantizedIndex(db, systemClock, space.id).finally(() => (done = true));
  const times: number[] = [];
  for (let i = 0; !done; i++) {
    const t = performance.now();
    await service.search({ query: queryTexts[i % queryTexts.length]!, mode: options.mode ?? 'hybrid', limit: 10 });
    times.push(performance.now() - t);
    await sleep(options.everyMs ?? 100);
  }
  const report = await build;
  const buildMs = performance.now() - started;
  delay.disable();
  return {
    buildMs,
    lists: report?.lists ?? 0,
    searches: times.length,
    searchP50: percentile(times, 50),
    searchP95: percentile(times, 95),
    searchMax: Math.max(...times),
    stallMaxMs: delay.max / 1e6,
    stallP99Ms: delay.percentile(99) / 1e6,
  };
}
