import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock';
import {
  maintainQuantizedIndex,
  type QuantizedIndexPolicy,
  type QuantizedIndexResult,
} from '../search/quantized-index';
import type { EventsRepo } from '../store/events.repo';
import type { JobContext } from '../queue/types';

/**
 * maintain_search_index: keeps the fast-search index of the active embedding
 * space fitting the library (see search/quantized-index.ts). Enqueued, deduped
 * and delayed, whenever documents finish indexing; a count when there is
 * nothing to do. Building takes seconds at 100,000 chunks and minutes at a
 * million, beside the index in use and off the main thread, so a person is
 * told when it happened.
 */

export function createMaintainSearchIndexHandler(deps: {
  db: Database;
  clock: Clock;
  events: EventsRepo;
  policy?: QuantizedIndexPolicy;
}) {
  return async (
    _payload?: unknown,
    ctx?: Pick<JobContext, 'signal' | 'progress'>,
  ): Promise<Pick<QuantizedIndexResult, 'action' | 'vectors'>> => {
    const started = deps.clock.now();
    const result = await maintainQuantizedIndex(deps.db, deps.clock, deps.policy, {
      signal: ctx?.signal,
      onProgress: (fraction, message) => ctx?.progress(fraction, message),
    });
    if (result.action !== 'none') {
      const seconds = ((deps.clock.now() - started) / 1000).toFixed(1);
      const lists = result.report ? `, ${result.report.lists.toLocaleString('en-US')} lists` : '';
      deps.events.record({
        type: 'search.index_built',
        level: 'info',
        title: result.action === 'enabled' ? 'Fast search is on for this library' : 'Fast search index rebuilt',
        message:
          `Search by meaning now uses a compact index of ${result.vectors.toLocaleString('en-US')} chunks` +
          `${lists} (built in ${seconds} s).`,
      });
    }
    return { action: result.action, vectors: result.vectors };
  };
}
