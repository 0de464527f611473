import type { Database } from 'better-sqlite3';
import type { OcrDocumentPayload } from '../jobs';
import { AppError } from '../../../shared/errors';
import { crashPoint } from '../crash-points';
import type { ImageLimits } from '../ingest/limits';
import type { OcrPageRequest, OcrPageResult } from '../ingest/ocr/ocr-types';
import { ParseFailure } from '../ingest/parse-failure';
import type { PageStart } from '../ingest/types';
import type { OcrSourceStore } from '../ocr/ocr-sources';
import type { OcrPreferences } from '../ocr/ocr-settings';
import { isOnePicture, readOcrState, type StoredOcrState } from '../ocr/ocr-state';
import { mergeOcrText } from '../ocr/ocr-text';
import type { DocumentsRepo, StoredDocument } from '../store/documents.repo';
import type { EventsRepo } from '../store/events.repo';
import type { OcrPageRow, OcrPagesRepo } from '../store/ocr-pages.repo';
import type { HandlerContext } from './ports';
import { plural } from '../../../shared/counted';
import { writeTransaction } from '../db/write-transaction';

export interface OcrDocumentDeps {
  db: Database;
  documents: DocumentsRepo;
  ocrPages: OcrPagesRepo;
  events: EventsRepo;
  sources: OcrSourceStore;
  /** Reads one page in the OCR pool (its own low-priority thread). */
  readPage(request: OcrPageRequest, signal: AbortSignal): Promise<OcrPageResult>;
  preferences(): OcrPreferences;
  limits: ImageLimits;
  /** Queues process_imported_doc for the document; called inside the merge transaction. */
  enqueueProcessing(documentIds: readonly string[]): void;
  /** Whether a process_imported_doc job is running for the document (its text must not change under it). */
  isProcessing(documentId: string): boolean;
  /** Whether a pending OCR (another document with the same file) still needs this source file. */
  sourceStillNeeded(sourceKey: string): boolean;
  /** How long to wait between checks while the document is being indexed. Default 500 ms. */
  busyWaitMs?: number;
}

export interface OcrSummary {
  status: 'merged' | 'stale' | 'nothing' | 'no_text' | 'failed';
  pagesRead: number;
}

/**
 * ocr_document: reads a document's pages that have no usable text layer
 * (listed in `metadata.ocr` when it was parsed) and adds their text.
 *
 * Lifecycle: the document is indexed first with the text it had (possibly
 * none); process_imported_doc queues this job as it completes. Pages are
 * read one at a time, each committed on its own (ocr_pages), so a job that
 * is stopped goes on from the next page. When all are read, one transaction
 * merges them into the text (page offsets rebuilt), marks the OCR done,
 * sets the document pending and queues process_imported_doc: re-chunking
 * keeps the chunks and vectors of unchanged passages. Its content hash (the
 * source's) does not change; a document whose source changed meanwhile is
 * left to the OCR job of its new version.
 */
export function createOcrDocumentHandler(deps: OcrDocumentDeps) {
  return async (payload: OcrDocumentPayload, ctx: HandlerContext): Promise<OcrSummary> => {
    const doc = deps.documents.get(payload.documentId);
    const state = doc ? readOcrState(doc.metadata) : null;
    if (!doc || doc.syncStatus === 'deleted' || doc.contentHash !== payload.contentHash) {
      if (doc) deps.ocrPages.clearStale(doc.id, doc.contentHash ?? '');
      return { status: 'stale', pagesRead: 0 };
    }
    if (!state || state.state !== 'pending') return { status: 'nothing', pagesRead: 0 };
    deps.ocrPages.clearStale(doc.id, payload.contentHash);

    const bytes = await deps.sources.read(state.sourceKey);
    if (!bytes) {
      return finishFailed(
        deps,
        doc,
        state,
        'The original file is no longer available for OCR; sync its source again to read its scanned pages.',
      );
    }
    const pagesRead = await readPages(deps, doc, state, bytes, ctx);
    while (deps.isProcessing(doc.id)) await sleep(deps.busyWaitMs ?? 500, ctx.signal);
    const status = writeTransaction(deps.db, () => merge(deps, payload, ctx))();
    crashPoint('ocr.merged');
    if (!deps.sourceStillNeeded(state.sourceKey)) await deps.sources.remove(state.sourceKey);
    ctx.progress(1, `OCR read ${plural(state.pages.length, 'page')}`);
    return { status, pagesRead };
  };
}

/** Reads every page not read yet, committing each; returns how many were read now. */
async function readPages(
  deps: OcrDocumentDeps,
  doc: StoredDocument,
  state: StoredOcrState,
  bytes: Uint8Array,
  ctx: HandlerContext,
): Promise<number> {
  const done = deps.ocrPages.forDocument(doc.id, doc.contentHash!);
  const { languages, minConfidence } = deps.preferences();
  const total = state.pages.length;
  let read = 0;
  for (const [index, page] of state.pages.entries()) {
    if (done.has(page)) continue;
    ctx.signal.throwIfAborted();
    ctx.progress(index / total, `OCR page ${index + 1} of ${total}`);
    const request = { source: state.source, bytes, page, fileKey: state.sourceKey, languages, minConfidence };
    const row = await readOnePage(deps, request, ctx.signal);
    crashPoint('ocr.page.read');
    writeTransaction(deps.db, () => {
      deps.ocrPages.record(doc.id, doc.contentHash!, row);
      deps.documents.patchMetadata(doc.id, { ocr: { pagesDone: done.size + read + 1 } });
    })();
    crashPoint('ocr.page.written');
    read++;
  }
  return read;
}

/** One page's reading, or why it failed; only cancellation (and faults outside the file) escape. */
async function readOnePage(
  deps: OcrDocumentDeps,
  request: Omit<OcrPageRequest, 'limits'>,
  signal: AbortSignal,
): Promise<OcrPageRow> {
  try {
    const result = await deps.readPage({ ...request, limits: deps.limits }, signal);
    return {
      page: request.page,
      text: result.text,
      confidence: result.confidence,
      rotation: result.rotation,
      error: null,
    };
  } catch (error) {
    // A page that is damaged, too slow or too large fails alone; the others are still read.
    if (error instanceof ParseFailure) {
      return { page: request.page, text: '', confidence: null, rotation: 0, error: error.message };
    }
    throw error;
  }
}

/** Inside one transaction: checks the document is still the one read, then merges, or says why not. */
function merge(deps: OcrDocumentDeps, payload: OcrDocumentPayload, ctx: HandlerContext): OcrSummary['status'] {
  const doc = deps.documents.get(payload.documentId);
  const state = doc ? readOcrState(doc.metadata) : null;
  if (!doc || doc.syncStatus === 'deleted' || doc.contentHash !== payload.contentHash || state?.state !== 'pending') {
    return 'stale';
  }
  const readings = deps.ocrPages.forDocument(doc.id, payload.contentHash);
  const pages = ((doc.metadata.parse as { pages?: PageStart[] | null } | undefined)?.pages ?? null) as
    PageStart[] | null;
  const merged = mergeOcrText(doc.content ?? '', pages, state, readings, deps.preferences().minConfidence);
  deps.ocrPages.clear(doc.id);
  // The sync run that found the document ended with its text layer indexed; what OCR adds is its own work.
  deps.documents.detachFromRun(doc.id);
  let status: OcrSummary['status'] = 'merged';
  if (merged.text.trim() === '') {
    // Nothing readable at all: say so on the document rather than index an empty one.
    const failedOnly = merged.state.failed.length === state.pages.length;
    status = failedOnly ? 'failed' : 'no_text';
    const reason = failedOnly
      ? `OCR could not read this document: ${merged.state.failed[0]!.error}`
      : (merged.state.message ?? `OCR found no text in this ${state.source === 'image' ? 'image' : 'scanned PDF'}.`);
    deps.documents.patchMetadata(doc.id, { ocr: merged.state });
    deps.documents.setStatus(doc.id, failedOnly ? 'error' : 'skipped', reason);
  } else {
    deps.documents.setContent(doc.id, merged.text, {
      parse: { ...(doc.metadata.parse as object), pages: merged.pages },
      ocr: merged.state,
    });
    deps.enqueueProcessing([doc.id]);
  }
  if (merged.state.message) {
    deps.events.record({
      type: 'document.ocr',
      level: status === 'merged' ? 'warning' : 'error',
      title: isOnePicture(merged.state)
        ? `The text of “${doc.title}” is not searchable`
        : `Some pages of “${doc.title}” are not searchable`,
      message: merged.state.message,
      connectorId: doc.connectorId,
      documentId: doc.id,
      jobId: ctx.job.id,
    });
  }
  crashPoint('ocr.merge.in-transaction');
  return status;
}

function finishFailed(deps: OcrDocumentDeps, doc: StoredDocument, state: StoredOcrState, message: string): OcrSummary {
  writeTransaction(deps.db, () => {
    deps.documents.patchMetadata(doc.id, { ocr: { ...state, state: 'failed', message } });
    deps.ocrPages.clear(doc.id);
  })();
  return { status: 'failed', pagesRead: 0 };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new AppError('CANCELLED', 'OCR was cancelled.'));
    const timer = setTimeout(done, ms);
    function done(): void {
      signal.removeEventListener('abort', abort);
      resolve();
    }
    function abort(): void {
      clearTimeout(timer);
      reject(new AppError('CANCELLED', 'OCR was cancelled.'));
    }
    signal.addEventListener('abort', abort, { once: true });
  });
}
