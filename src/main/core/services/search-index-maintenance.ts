import { writeWhenFree } from '../db/when-free';

/** How long after documents finish indexing the fast-search index is checked. */
const SEARCH_INDEX_CHECK_DELAY_MS = 30_000;

/** The part of the job queue index maintenance uses. */
export interface MaintenanceQueue {
  enqueue(
    type: 'maintain_search_index',
    payload: Record<string, never>,
    options: { key: string; priority: number },
  ): unknown;
  on(event: 'succeeded', listener: (e: { type: string }) => void): unknown;
}

/**
 * When to check the fast-search index (maintain_search_index). Indexed
 * documents may have grown the library past the size where the index pays
 * (or past what its lists were trained for). One check a little after a
 * burst of documents, not one per document; a timer rather than a delayed
 * job, so waiting for the queue to go idle (CLI sync, tests) never waits for it.
 */
export class SearchIndexMaintenance {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(private readonly queue: MaintenanceQueue) {
    queue.on('succeeded', (e) => {
      if (e.type === 'process_imported_doc' || e.type === 'embed_backlog') this.checkSoon();
    });
  }

  /** Queues a check now (deduplicated; below the embedding backlog, above OCR). */
  checkNow(): void {
    this.queue.enqueue('maintain_search_index', {}, { key: 'maintain-search-index', priority: -2 });
  }

  checkSoon(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      writeWhenFree(() => this.checkNow(), {
        isClosed: () => this.closed,
        // Nothing is lost: the next document indexed asks again.
        onError: () => undefined,
      });
    }, SEARCH_INDEX_CHECK_DELAY_MS);
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }
}
