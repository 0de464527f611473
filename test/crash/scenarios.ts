import type { CrashPoint } from '../../src/main/core/crash-points';

/** Points a first sync of a folder passes (crash-ingest.test.ts). */
export const INGEST_POINTS: readonly CrashPoint[] = [
  'sync.started',
  'sync.batch.listed',
  'sync.batch.loaded',
  'sync.batch.in-transaction',
  'sync.batch.stored',
  'sync.cursor.saved',
  'sync.finished',
  'process.chunked',
  'process.embedded',
  'process.in-transaction',
  'process.written',
  'queue.claimed',
  'queue.finishing',
];

/** Points a sync of edits, deletions and additions passes (crash-changes.test.ts). */
export const CHANGES_POINTS: readonly CrashPoint[] = [
  'sync.batch.loaded',
  'sync.batch.stored',
  'sync.deletions.stored',
  'process.parked',
  'process.embedded',
  'process.written',
];

/** Points of queueing what a cancelled run left unindexed (crash-left.test.ts). */
export const LEFT_POINTS: readonly CrashPoint[] = ['sync.left.in-transaction', 'sync.left.queued', 'process.written'];

/** Points of webhooks arriving through the relay (crash-webhook.test.ts). */
export const WEBHOOK_POINTS: readonly CrashPoint[] = [
  'relay.fetched',
  'relay.stored',
  'relay.acknowledged',
  'webhook.interpreted',
  'webhook.applied',
];

/** Points of filling vectors after a model arrives (crash-backlog.test.ts). */
export const BACKLOG_POINTS: readonly CrashPoint[] = ['backlog.embedded', 'backlog.written'];

/** Points of sketching documents indexed before text sketches existed (crash-sketches.test.ts). */
export const SKETCH_POINTS: readonly CrashPoint[] = ['sketch.sketched', 'sketch.written'];

/** Points of reading an indexed library again after the parsers changed (crash-reread.test.ts). */
export const REREAD_POINTS: readonly CrashPoint[] = [
  'sync.batch.loaded',
  'sync.batch.in-transaction',
  'sync.batch.stored',
  'process.parked',
  'process.in-transaction',
  'process.written',
];

/** Points of reading a scanned PDF with OCR after its text layer is indexed (crash-ocr.test.ts). */
export const OCR_POINTS: readonly CrashPoint[] = [
  'ocr.page.read',
  'ocr.page.written',
  'ocr.merge.in-transaction',
  'ocr.merged',
];

/** Points of building the fast-search index beside the one in use (crash-search-index.test.ts). */
export const INDEX_POINTS: readonly CrashPoint[] = ['index.begun', 'index.copied', 'index.listed', 'index.switched'];

export const ALL_SCENARIO_POINTS: ReadonlySet<CrashPoint> = new Set([
  ...INGEST_POINTS,
  ...CHANGES_POINTS,
  ...LEFT_POINTS,
  ...WEBHOOK_POINTS,
  ...BACKLOG_POINTS,
  ...SKETCH_POINTS,
  ...REREAD_POINTS,
  ...OCR_POINTS,
  ...INDEX_POINTS,
]);
