import type { Database } from 'better-sqlite3';
import type { Logger } from '../logger';
import type { DocumentsRepo } from '../store/documents.repo';
import type { OcrSourceStore } from './ocr-sources';
import { readOcrState } from './ocr-state';
import { writeTransaction } from '../db/write-transaction';

/** The job key of a document's OCR job: while one is queued or running, no second is added. */
export function ocrJobKey(documentId: string): string {
  return `ocr:${documentId}`;
}

export interface OcrRecoveryDeps {
  db: Database;
  documents: DocumentsRepo;
  sources: OcrSourceStore;
  /** Queues ocr_document for a document (keyed by ocrJobKey). */
  enqueueOcr(documentId: string, contentHash: string): void;
  /**
   * Whether another live process (the CLI beside the app) runs jobs on this
   * library: its sync may have written a file here and not yet committed the
   * document that refers to it.
   */
  othersAtWork(): boolean;
  logger: Logger;
}

interface PendingRow {
  id: string;
  contentHash: string | null;
  status: string;
  sourceKey: string | null;
}

/**
 * Keeps the OCR promise: a completed document whose OCR is pending has an
 * OCR job queued or running, or its OCR is marked failed with the reason.
 * process_imported_doc queues the job in the transaction that completes the
 * document, so only a job that ended without finishing (failed on its last
 * attempt, cancelled) breaks it; this records why, and at start re-queues
 * what an older run left behind and removes files no pending OCR needs.
 */
export class OcrRecovery {
  constructor(private readonly deps: OcrRecoveryDeps) {}

  /** Documents whose OCR is still to do (any status but deleted). */
  pending(): PendingRow[] {
    return this.deps.db
      .prepare(
        `SELECT id, content_hash AS contentHash, sync_status AS status,
           json_extract(metadata, '$.ocr.sourceKey') AS sourceKey
         FROM imported_documents
         WHERE instr(metadata, '"ocr"') > 0 AND json_extract(metadata, '$.ocr.state') = 'pending'
           AND sync_status != 'deleted'`,
      )
      .all() as PendingRow[];
  }

  /** Source files some pending OCR still needs. */
  neededSources(): Set<string> {
    return new Set(this.pending().flatMap((row) => (row.sourceKey ? [row.sourceKey] : [])));
  }

  /** At start-up, before the queue claims anything. Returns what it did. */
  async recoverAtStart(): Promise<{ requeued: number; failed: number; removedFiles: number }> {
    const { db } = this.deps;
    const lastJobs = new Map(
      (
        db
          .prepare(
            `SELECT job_key AS key, status, last_error AS lastError FROM jobs
             WHERE type = 'ocr_document' AND job_key IS NOT NULL ORDER BY created_at`,
          )
          .all() as Array<{ key: string; status: string; lastError: string | null }>
      ).map((row) => [row.key, row]),
    );
    let requeued = 0;
    let failed = 0;
    const pending = this.pending();
    writeTransaction(db, () => {
      for (const row of pending) {
        // Not indexed yet: process_imported_doc queues the OCR when it completes.
        if (row.status !== 'completed' || !row.contentHash) continue;
        const job = lastJobs.get(ocrJobKey(row.id));
        if (job?.status === 'queued' || job?.status === 'running') continue;
        if (job?.status === 'failed') {
          this.markFailed(row.id, stoppedReason(job.lastError));
          failed++;
        } else {
          this.deps.enqueueOcr(row.id, row.contentHash);
          requeued++;
        }
      }
    })();
    // Strays wait for a start-up with no other process at work.
    const removedFiles = this.deps.othersAtWork()
      ? 0
      : await this.deps.sources.removeAllBut(new Set(pending.flatMap((row) => (row.sourceKey ? [row.sourceKey] : []))));
    if (requeued || failed || removedFiles) {
      this.deps.logger.info('recovered OCR left unfinished by an earlier run', { requeued, failed, removedFiles });
    }
    return { requeued, failed, removedFiles };
  }

  /** An OCR job ended without merging (failed on its last attempt, or cancelled): the document says so. */
  onJobEnded(documentId: string, outcome: 'failed' | 'cancelled', error?: string): void {
    const doc = this.deps.documents.get(documentId);
    if (readOcrState(doc?.metadata ?? {})?.state !== 'pending') return;
    this.markFailed(
      documentId,
      outcome === 'cancelled'
        ? 'OCR was cancelled; retry its job in Activity to read the scanned pages.'
        : stoppedReason(error ?? null),
    );
  }

  private markFailed(documentId: string, message: string): void {
    this.deps.documents.patchMetadata(documentId, { ocr: { state: 'failed', message } });
  }
}

function stoppedReason(lastError: string | null): string {
  return `OCR stopped before it finished on every attempt; retry its job in Activity to try again.${lastError ? ` Last error: ${lastError}` : ''}`;
}
