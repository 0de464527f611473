import { jobPayload } from '../jobs';
import type { JobRecord, QueueEvents } from '../queue';
import type { OcrRecovery } from '../ocr/ocr-recovery';
import type { DocumentRecovery } from './document-recovery';
import type { RunTracker } from './run-tracker';

/** The part of the job queue these listeners use. */
export interface OutcomeQueue {
  on<E extends 'succeeded' | 'failed' | 'cancelled'>(event: E, listener: (e: QueueEvents[E]) => void): unknown;
  get(id: string): JobRecord | undefined;
}

/**
 * What happens when a job ends, beyond the job itself: a document whose
 * indexing or OCR job gave up gets its state recorded, and the run it
 * belongs to may close.
 */
export function followJobOutcomes(
  queue: OutcomeQueue,
  deps: { documentRecovery: DocumentRecovery; ocrRecovery: OcrRecovery; runs: RunTracker },
): void {
  queue.on('failed', (e) => {
    const documentId = jobPayload(queue.get(e.jobId), 'process_imported_doc')?.documentId;
    if (documentId) deps.documentRecovery.onProcessingJobFailed(documentId, e.error.message);
  });
  queue.on('failed', (e) => {
    const documentId = jobPayload(queue.get(e.jobId), 'ocr_document')?.documentId;
    if (documentId) deps.ocrRecovery.onJobEnded(documentId, 'failed', e.error.message);
  });
  queue.on('cancelled', (e) => {
    const documentId = jobPayload(queue.get(e.jobId), 'ocr_document')?.documentId;
    if (documentId) deps.ocrRecovery.onJobEnded(documentId, 'cancelled');
  });
  // A document's job ending may end its run: the tracker looks (debounced, one count per open run).
  for (const name of ['succeeded', 'failed', 'cancelled'] as const) {
    queue.on(name, (e) => {
      if (e.type === 'process_imported_doc' || e.type === 'sync_connector') deps.runs.poke();
    });
  }
}
