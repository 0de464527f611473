import { appendFileSync, writeSync } from 'node:fs';

/**
 * Named crash points: the places where the process may die between two
 * durable steps (before and after every transaction, around every await that
 * separates writes). They exist to prove crash consistency the way storage
 * engines do: a test kills the process at each one in turn and checks that a
 * restart recovers everything (test/crash/).
 *
 * Inert unless an environment variable is set, and then only in the process
 * that has it:
 * - `TROVE_CRASH_AT=<point>:<n>` kills the process with SIGKILL (no cleanup,
 *   no flush, like a power cut for everything not yet committed) the n-th
 *   time `<point>` is reached (n defaults to 1).
 * - `TROVE_CRASH_TRACE=<file>` appends the name of every point reached to
 *   `<file>`, one per line, so a test can see which points a scenario passes
 *   and how often.
 *
 * Never set either in normal use.
 */
export const CRASH_POINTS = {
  // sync_connector
  'sync.started': 'the sync log row is written, nothing else yet',
  'sync.batch.listed': 'a batch came from the connector, nothing of it stored',
  'sync.batch.loaded': 'the batch\u2019s new and changed documents are read and parsed, not yet stored',
  'sync.batch.in-transaction': 'inside the batch transaction, before its commit',
  'sync.batch.stored': 'the batch (documents, text, processing jobs) is committed',
  'sync.deletions.stored': 'the batch\u2019s deletions are committed',
  'sync.left.in-transaction':
    'inside the transaction queueing documents a cancelled run left unindexed, before its commit',
  'sync.left.queued': 'the documents a cancelled run left unindexed are queued as part of this run',
  'sync.cursor.saved': 'the cursor and last_sync_at are committed, the sync log not yet finished',
  'sync.finished': 'the sync log row is finished and the event recorded',
  // process_imported_doc
  'process.chunked': 'a document is chunked, nothing of it written',
  'process.parked': 'the old chunks of a changed document are parked for reuse',
  'process.embedded': 'a slice of chunks is embedded, not yet written',
  'process.in-transaction': 'inside a chunk write transaction, before its commit',
  'process.written': 'a slice of chunks (and the completion, for the last one) is committed',
  // the queue
  'queue.claimed': 'jobs are claimed (leases taken) and committed, not yet started',
  'queue.finishing': 'a job\u2019s handler returned, its outcome not yet committed',
  // process_webhook
  'webhook.interpreted': 'the connector interpreted an event; no action taken',
  'webhook.applied': 'the event\u2019s actions and processed state are committed',
  // the relay client (desktop side)
  'relay.fetched': 'events came from the relay, none stored',
  'relay.stored': 'events, the channel cursor and their jobs are committed, the relay not yet acknowledged',
  'relay.acknowledged': 'the relay has been told the events are stored',
  // embed_backlog (vectors for chunks written without a model)
  'backlog.embedded': 'a round of backlog chunks is embedded, not yet written',
  'backlog.written': 'a round of backlog vectors is committed',
  // sketch_backlog (text sketches for documents indexed before they existed)
  'sketch.sketched': 'a round of documents is sketched, the sketches not yet written',
  'sketch.written': 'a round of sketches is committed',
  // ocr_document (scanned pages and images)
  'ocr.page.read': 'a page is read by OCR, its text not yet stored',
  'ocr.page.written': 'a page\u2019s OCR text (and the progress) is committed',
  'ocr.merge.in-transaction': 'inside the merge transaction (text, OCR state, processing job), before its commit',
  'ocr.merged': 'the OCR text is merged and processing queued, the source file not yet removed',
  // maintain_search_index (the fast-search index, built beside the one in use)
  'index.begun': 'the next index generation is marked as being built, nothing of it written',
  'index.copied': 'a step of float vectors is copied into the next generation',
  'index.listed': 'a step of sign bits is written into the next generation\u2019s lists',
  'index.switched': 'search uses the new generation, the old one\u2019s tables not yet dropped',
} as const;

export type CrashPoint = keyof typeof CRASH_POINTS;

interface CrashSchedule {
  point: string;
  remaining: number;
}

function parseSchedule(value: string | undefined): CrashSchedule | null {
  if (!value) return null;
  const separator = value.lastIndexOf(':');
  const hasCount = separator > 0 && /^\d+$/.test(value.slice(separator + 1));
  const point = hasCount ? value.slice(0, separator) : value;
  const count = hasCount ? Number(value.slice(separator + 1)) : 1;
  return { point, remaining: Math.max(1, count) };
}

// Read once: the hot paths below must cost a comparison when nothing is armed.
const schedule = parseSchedule(process.env.TROVE_CRASH_AT);
const traceFile = process.env.TROVE_CRASH_TRACE || null;
const armed = schedule !== null || traceFile !== null;

/** Dies here if this point is scheduled (see CRASH_POINTS); otherwise does nothing. */
export function crashPoint(point: CrashPoint): void {
  if (!armed) return;
  if (traceFile) appendFileSync(traceFile, `${point}\n`);
  if (schedule?.point !== point || --schedule.remaining > 0) return;
  // Written synchronously so the parent can tell a planned death from a real crash.
  writeSync(2, `TROVE_CRASH_AT reached ${point}\n`);
  process.kill(process.pid, 'SIGKILL');
}
