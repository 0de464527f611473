import { lengthBatches } from './length-batches';

/**
 * Who is waiting for an embedding request, most urgent first:
 * - `query`: a search's query vector; a person is waiting for the results;
 * - `search`: other text a search wants embedded (snippet sentences);
 * - `document`: indexing (process_imported_doc, embed_backlog).
 */
export const LANES = ['query', 'search', 'document'] as const;
export type Lane = (typeof LANES)[number];

/** One request's texts, token ids known, waiting for model runs. */
export interface ScheduledRequest {
  lane: Lane;
  /** Within a lane, higher first; then first come, first served. */
  priority: number;
  /** Token ids per text. */
  encoded: ReadonlyArray<ArrayLike<number>>;
}

/** One model run: which texts of which requests, padded together. */
export interface PlannedRun<R extends ScheduledRequest> {
  items: Array<{ request: R; index: number }>;
}

interface Entry<R extends ScheduledRequest> {
  request: R;
  seq: number;
  /** Indices of texts not yet handed to a run. */
  waiting: number[];
}

/**
 * Decides which texts the embedding worker runs next. The worker asks for
 * one run at a time and yields to its event loop between runs, so a query
 * that arrives while a large backlog of document work is queued waits for at
 * most the run in progress: it goes to the front (its lane), not to the back.
 *
 * A run holds texts of one lane only. Within the lane the most urgent
 * request's next text is always in the run, so requests finish in order of
 * urgency; the rest of the run is filled, when runs hold several texts, with
 * texts of similar length from the next requests (up to `windowTexts` texts
 * are considered; lengthBatches chooses), so documents of one ingest are
 * padded together instead of each request on its own.
 */
export class RunScheduler<R extends ScheduledRequest> {
  private readonly lanes = new Map<Lane, Array<Entry<R>>>(LANES.map((lane) => [lane, []]));
  private seq = 0;

  /**
   * @param maxPerRun texts per run (1: each text alone).
   * @param windowTexts texts considered when filling a run. Default 4 x maxPerRun.
   */
  constructor(
    private readonly maxPerRun: number,
    private readonly windowTexts = Math.max(1, maxPerRun * 4),
  ) {}

  add(request: R): void {
    const entries = this.lanes.get(request.lane)!;
    const entry: Entry<R> = { request, seq: this.seq++, waiting: request.encoded.map((_, i) => i) };
    if (entry.waiting.length === 0) return;
    // Sorted by priority (higher first), then arrival: insert after every entry at least as urgent.
    let at = entries.length;
    while (at > 0 && entries[at - 1]!.request.priority < request.priority) at--;
    entries.splice(at, 0, entry);
  }

  /** Drops a request's texts that no run has taken yet. */
  remove(request: R): void {
    const entries = this.lanes.get(request.lane)!;
    const at = entries.findIndex((e) => e.request === request);
    if (at >= 0) entries.splice(at, 1);
  }

  /** Whether any text of this lane (default: of any lane) waits for a run. */
  hasWaiting(lane?: Lane): boolean {
    return (lane ? [lane] : LANES).some((l) => this.lanes.get(l)!.length > 0);
  }

  /**
   * The next run (of the most urgent lane that has work, or of `lane`), its
   * texts taken off the waiting lists; null when nothing waits there.
   */
  next(lane?: Lane): PlannedRun<R> | null {
    for (const l of lane ? [lane] : LANES) {
      const entries = this.lanes.get(l)!;
      if (entries.length > 0) return this.take(entries);
    }
    return null;
  }

  private take(entries: Array<Entry<R>>): PlannedRun<R> {
    const window: Array<{ entry: Entry<R>; index: number }> = [];
    for (const entry of entries) {
      for (const index of entry.waiting) {
        window.push({ entry, index });
        if (window.length >= this.windowTexts) break;
      }
      if (window.length >= this.windowTexts) break;
    }
    let chosen = [0];
    if (this.maxPerRun > 1 && window.length > 1) {
      const lengths = window.map(({ entry, index }) => entry.request.encoded[index]!.length);
      // The run that holds the most urgent text (window[0]).
      chosen = lengthBatches(lengths, this.maxPerRun).find((run) => run.includes(0))!;
    }
    const items = chosen.map((w) => window[w]!);
    for (const { entry, index } of items) entry.waiting.splice(entry.waiting.indexOf(index), 1);
    for (let i = entries.length - 1; i >= 0; i--) if (entries[i]!.waiting.length === 0) entries.splice(i, 1);
    return { items: items.map(({ entry, index }) => ({ request: entry.request, index })) };
  }
}
