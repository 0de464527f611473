import type { Database } from 'better-sqlite3';
import type { ProcessImportedDocPayload } from '../jobs';
import { AppError, toAppError } from '../../../shared/errors';
import { isLibraryBusy, isStorageFault } from '../../../shared/storage-errors';
import type { Embedder } from '../embeddings/types';
import { timeStage, timeStageAsync, type StageTimer } from '../metrics/stage-timer';
import type { ChunkInput, ChunksRepo } from '../store/chunks.repo';
import type { DocumentsRepo, StoredDocument } from '../store/documents.repo';
import type { ChunkVector } from '../store/vectors.repo';
import type { ChunkingResult } from '../services/chunking';
import type { HandlerContext } from './ports';
import { crashPoint } from '../crash-points';
import { writeTransaction } from '../db/write-transaction';

/** Chunks and vectors are written in transactions of this many chunks. */
export const WRITE_BATCH = 100;

/** The active embedding space, when its model is ready. */
export interface EmbeddingTarget {
  embedder: Embedder;
  /** Text actually embedded for a chunk (title and heading path give it context). */
  textFor(title: string, chunk: ChunkInput): string;
  /** Chunk ids among `ids` that have no vector in this space yet. */
  missing(ids: readonly number[]): Set<number>;
  /** Writes vectors; synchronous, called inside the write transaction. */
  write(items: readonly ChunkVector[]): void;
}

export interface ProcessImportedDocDeps {
  db: Database;
  documents: DocumentsRepo;
  chunks: ChunksRepo;
  chunkDocument(doc: StoredDocument, signal: AbortSignal): Promise<ChunkingResult>;
  /** The version of the chunker behind `chunkDocument`: a document processed by an older one is processed again. */
  chunkerVersion: number;
  /** Null while no embedding model is ready: chunks are still written and keyword-searchable. */
  embeddingTarget(): EmbeddingTarget | null;
  purgeDeletedVectors(): void;
  /**
   * Runs a synchronous write of about `rows` rows in a transaction and
   * resolves once it is committed. Default: its own transaction at once. The
   * core passes a GroupCommit, so concurrent documents share commits.
   */
  commit?<T>(fn: () => T, rows: number): Promise<T>;
  /**
   * Waits until a document of this many bytes of text may be indexed and
   * returns the function that ends its turn (the core passes a TextBudget).
   * Default: no limit beyond the queue's concurrency.
   */
  admit?(textBytes: number, signal: AbortSignal): Promise<() => void>;
  /** Times the embed and write stages (benchmarks). Default: not timed. */
  metrics?: StageTimer;
  /**
   * Runs inside the transaction that completes a document (after it is marked
   * processed), so work that must follow indexing is queued atomically with
   * it (the core queues OCR here). Default: nothing.
   */
  afterIndexed?(doc: StoredDocument): void;
  /** Live status changes for the UI (not persisted). */
  onStatus?(documentId: string, status: 'processing' | 'completed' | 'error', error?: string): void;
}

export interface ProcessSummary {
  status: 'completed' | 'unchanged' | 'gone' | 'skipped';
  chunks: number;
  embedded: number;
  kept: number;
}

/**
 * process_imported_doc: load the document, require
 * content, skip if already processed at this content hash, classify, chunk,
 * embed in batches, write chunks, vectors and FTS rows in transaction batches,
 * mark completed (or error with sync_error). Its run names a failure in its notification.
 *
 * Idempotent: a rerun after a crash keeps the chunks (and vectors) already
 * written, matched by content hash, and only embeds what is missing.
 */
export function createProcessImportedDocHandler(deps: ProcessImportedDocDeps) {
  return async (payload: ProcessImportedDocPayload, ctx: HandlerContext): Promise<ProcessSummary> => {
    // Admitted by size before the text is loaded, so a run of large
    // documents waits here rather than in memory.
    const release = deps.admit ? await deps.admit(deps.documents.textBytes(payload.documentId), ctx.signal) : null;
    try {
      return await processPayload(deps, payload, ctx);
    } finally {
      release?.();
    }
  };
}

/**
 * Times a job reads the document again when a sync stored newer text while
 * it was indexing, before it gives up this attempt (CONFLICT, retried).
 * Reading again at once costs no attempt: a job whose earlier attempts were
 * killed must not fail only because the file was edited meanwhile.
 */
const REREADS_ON_CHANGE = 3;

async function processPayload(
  deps: ProcessImportedDocDeps,
  payload: ProcessImportedDocPayload,
  ctx: HandlerContext,
): Promise<ProcessSummary> {
  for (let read = 1; ; read++) {
    const doc = deps.documents.get(payload.documentId);
    if (!doc || doc.syncStatus === 'deleted') return { status: 'gone', chunks: 0, embedded: 0, kept: 0 };
    if (doc.syncStatus === 'skipped') return { status: 'skipped', chunks: 0, embedded: 0, kept: 0 };
    if (doc.content === null) {
      throw new AppError('VALIDATION', 'This document has no extracted text to index. Sync its connector again.', {
        details: { nonRetryable: true },
      });
    }
    try {
      return await processDocument(deps, doc, ctx);
    } catch (error) {
      const err = toAppError(error);
      if (err.code === 'CONFLICT' && read < REREADS_ON_CHANGE) continue;
      // A full or failing disk, or another process holding the library: not
      // this document's fault either. The queue gives the job back; the
      // status write would most likely fail too.
      if (isStorageFault(err) || isLibraryBusy(err)) throw err;
      // Cancelled, or the text changed underneath: not a failure of this document.
      if (err.code === 'CANCELLED' || err.code === 'CONFLICT') {
        deps.documents.setStatus(doc.id, 'pending');
        throw err;
      }
      // No notification of its own: the run it belongs to names it when it ends.
      deps.documents.setStatus(doc.id, 'error', err.message);
      deps.onStatus?.(doc.id, 'error', err.message);
      throw err;
    }
  }
}

async function processDocument(
  deps: ProcessImportedDocDeps,
  doc: StoredDocument,
  ctx: HandlerContext,
): Promise<ProcessSummary> {
  const processedKey = `${doc.contentHash ?? ''}:v${deps.chunkerVersion}`;
  if (doc.syncStatus === 'completed' && doc.processedHash === processedKey) {
    return { status: 'unchanged', chunks: 0, embedded: 0, kept: 0 };
  }
  const chunking = await deps.chunkDocument(doc, ctx.signal);
  crashPoint('process.chunked');
  const target = deps.embeddingTarget();
  // At most two writes per document of up to WRITE_BATCH chunks (status with
  // parking; last chunks with completion): every commit flushes the FTS
  // index's pending terms into a new segment. A document indexed for the
  // first time has nothing to park, so it skips the first write and goes
  // from pending to completed in one commit.
  const commit = <T>(fn: () => T, rows = 1): Promise<T> =>
    deps.commit
      ? deps.commit(fn, rows)
      : Promise.resolve(timeStage(deps.metrics, 'write', writeTransaction(deps.db, fn)));
  const parked = deps.chunks.hasChunks(doc.id)
    ? await commit(() => {
        deps.documents.setStatus(doc.id, 'processing');
        return deps.chunks.park(doc.id);
      })
    : new Map<string, number[]>();
  if (parked.size > 0) crashPoint('process.parked');
  deps.onStatus?.(doc.id, 'processing');
  const plan = chunking.chunks.map((chunk) => ({ chunk, reuseId: parked.get(chunk.contentHash)?.shift() }));
  const leftovers = [...parked.values()].flat();
  const reusedIds = plan.flatMap((p) => (p.reuseId === undefined ? [] : [p.reuseId]));
  const reusedWithoutVector = target ? target.missing(reusedIds) : new Set<number>();

  /**
   * Whether the document this job read is still the one to index, checked
   * inside every write transaction: a sync may delete it (and its chunks) or
   * store newer text while this job embeds, and nothing may be written for
   * it after that.
   */
  const currency = (): 'current' | 'gone' | 'replaced' => {
    const current = deps.documents.stateOf(doc.id);
    if (!current || current.syncStatus === 'deleted') return 'gone';
    return current.contentHash === doc.contentHash ? 'current' : 'replaced';
  };
  /**
   * Runs inside the last write transaction: the document is completed
   * atomically with its last chunks. `state` is that transaction's currency
   * check when it already made one.
   */
  const finish = (state = currency()): 'completed' | 'gone' | 'replaced' => {
    if (state === 'gone') return state;
    deps.chunks.remove(leftovers);
    // If a newer sync replaced the content meanwhile, leave it pending: the
    // job that sync enqueued (or this job's retry) processes the new text.
    if (state === 'replaced') return state;
    deps.documents.markProcessed(doc.id, processedKey, chunking.sketch);
    deps.afterIndexed?.(doc);
    return 'completed';
  };

  let embedded = 0;
  let finished: 'completed' | 'gone' | 'replaced' | undefined;
  for (let start = 0; start < plan.length; start += WRITE_BATCH) {
    ctx.signal.throwIfAborted();
    const slice = plan.slice(start, start + WRITE_BATCH);
    const last = start + WRITE_BATCH >= plan.length;
    const needs = target ? slice.filter((p) => p.reuseId === undefined || reusedWithoutVector.has(p.reuseId)) : [];
    // One request per write batch: the embedder runs it in short runs of its
    // own, between queries and together with other documents' texts.
    const vectors = target
      ? await timeStageAsync(deps.metrics, 'embed', () =>
          target.embedder.embedDocuments(
            needs.map((p) => target.textFor(doc.title, p.chunk)),
            { signal: ctx.signal, priority: embeddingPriority(doc) },
          ),
        )
      : [];
    if (target) crashPoint('process.embedded');
    const vectorFor = new Map(needs.map((p, i) => [p, vectors[i]!]));
    finished = await commit(() => {
      const state = currency();
      if (state !== 'current') return state;
      const written: ChunkVector[] = [];
      for (const item of slice) {
        let id = item.reuseId;
        const fresh = id === undefined;
        if (id === undefined) id = deps.chunks.insert(doc.id, doc.connectorId, item.chunk, deps.chunkerVersion);
        else deps.chunks.keep(id, item.chunk, deps.chunkerVersion);
        const vector = vectorFor.get(item);
        if (vector) written.push({ chunkId: id, vector, fresh });
      }
      if (target && written.length) target.write(written);
      const done = last ? finish(state) : undefined;
      crashPoint('process.in-transaction');
      return done;
    }, slice.length);
    crashPoint('process.written');
    if (finished === 'gone' || finished === 'replaced') break;
    embedded += needs.length;
    if (!last) ctx.progress((start + slice.length) / plan.length, `${start + slice.length} chunks`);
  }
  // A document without chunks still needs its leftovers removed and its status set.
  finished ??= await commit(() => finish());
  if (leftovers.length) deps.purgeDeletedVectors();
  if (finished === 'gone') return { status: 'gone', chunks: 0, embedded, kept: 0 };
  if (finished === 'replaced') {
    throw new AppError('CONFLICT', 'The document changed while it was being indexed; it will be indexed again.');
  }
  deps.onStatus?.(doc.id, 'completed');
  return { status: 'completed', chunks: plan.length, embedded, kept: reusedIds.length };
}

/**
 * The most recently changed documents are embedded first (the embedder
 * serves higher priorities first), so new work becomes searchable by meaning
 * first: the source's modification time, else when Trove last stored it.
 */
function embeddingPriority(doc: StoredDocument): number {
  return doc.sourceModifiedAt ?? doc.updatedAt;
}
