import type { Database } from 'better-sqlite3';
import type { Logger } from '../logger';
import type { DocumentsRepo } from '../store/documents.repo';
import { writeTransaction } from '../db/write-transaction';

const PROCESSING_KEY_PREFIX = 'process:';

/** The job key of a document's processing job: while one is queued or running, no second is added. */
export function processingJobKey(documentId: string): string {
  return `${PROCESSING_KEY_PREFIX}${documentId}`;
}

/**
 * Document `d` is one that nothing is going to index: its text is stored, it
 * is not indexed, and no processing job is queued or running for it. A
 * cancelled run leaves its unindexed documents so (run-control.ts) and tells
 * the person the next sync indexes them: the sync handler asks for a
 * connector's (`leftUnindexed`) to keep that word, and the sidebar counts
 * them apart from documents in the queue (`countLeftUnindexed`).
 */
const LEFT_UNINDEXED = `d.sync_status IN ('pending', 'processing') AND d.content IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM jobs j
    WHERE j.job_key = '${PROCESSING_KEY_PREFIX}' || d.id AND j.status IN ('queued', 'running'))`;

/** How many documents of the library nothing is going to index (see LEFT_UNINDEXED). */
export function countLeftUnindexed(db: Database): number {
  return db.prepare(`SELECT COUNT(*) FROM imported_documents d WHERE ${LEFT_UNINDEXED}`).pluck().get() as number;
}

export interface DocumentRecoveryDeps {
  db: Database;
  documents: DocumentsRepo;
  /** Queues process_imported_doc for these documents (keyed by processingJobKey), inside the caller's transaction. */
  enqueueProcessing(documentIds: readonly string[]): void;
  logger: Logger;
}

/** Documents re-queued per transaction at start-up. */
const REQUEUE_BATCH = 500;

/**
 * Keeps one promise by construction: a document whose text is stored but not
 * yet indexed (`pending` or `processing`) always has a processing job queued
 * or running, or ends `error` with the reason. A sync stores text and queues
 * the job in one transaction, but a job can still end without touching its
 * document: its process was killed on the last attempt (the lease expired),
 * or it was cancelled. Without this, such a document would stay pending with
 * an idle queue, and no later sync would look at it (its content is stored).
 */
export class DocumentRecovery {
  constructor(private readonly deps: DocumentRecoveryDeps) {}

  /**
   * At start-up, before the queue claims anything: re-queues unfinished
   * documents whose job is gone, and fails those whose last job failed.
   * Returns how many were re-queued and failed.
   */
  recoverAtStart(): { requeued: number; failed: number } {
    const { db, documents } = this.deps;
    const unfinished = db
      .prepare(
        `SELECT id FROM imported_documents
         WHERE sync_status IN ('pending', 'processing') AND content IS NOT NULL`,
      )
      .pluck()
      .all() as string[];
    if (unfinished.length === 0) return { requeued: 0, failed: 0 };
    const lastJobs = this.lastProcessingJobs();
    const requeue: string[] = [];
    let failed = 0;
    writeTransaction(db, () => {
      for (const id of unfinished) {
        const job = lastJobs.get(processingJobKey(id));
        if (job?.status === 'queued' || job?.status === 'running') continue;
        if (job?.status === 'failed') {
          documents.setStatus(id, 'error', stoppedReason(job.lastError));
          failed++;
        } else {
          requeue.push(id);
        }
      }
    })();
    for (let i = 0; i < requeue.length; i += REQUEUE_BATCH) {
      writeTransaction(db, () => this.deps.enqueueProcessing(requeue.slice(i, i + REQUEUE_BATCH)))();
    }
    if (requeue.length || failed) {
      this.deps.logger.warn('recovered documents left unfinished by an earlier run', {
        requeued: requeue.length,
        failed,
      });
    }
    return { requeued: requeue.length, failed };
  }

  /**
   * A processing job ended `failed` without its handler recording why (its
   * worker died on the last attempt): the document is failed with the reason
   * instead of staying pending. A no-op when the handler already did.
   */
  onProcessingJobFailed(documentId: string, error: string): void {
    const state = this.deps.documents.stateOf(documentId);
    if (state?.syncStatus !== 'pending' && state?.syncStatus !== 'processing') return;
    this.deps.documents.setStatus(documentId, 'error', stoppedReason(error));
  }

  /** A connector's documents that nothing is going to index (see LEFT_UNINDEXED). */
  leftUnindexed(connectorId: string): string[] {
    return this.deps.db
      .prepare(`SELECT d.id FROM imported_documents d WHERE d.connector_id = ? AND ${LEFT_UNINDEXED}`)
      .pluck()
      .all(connectorId) as string[];
  }

  /** The newest processing job per job key (the queue prunes old ones, so this stays small). */
  private lastProcessingJobs(): Map<string, { status: string; lastError: string | null }> {
    const rows = this.deps.db
      .prepare(
        `SELECT job_key AS key, status, last_error AS lastError FROM jobs
         WHERE type = 'process_imported_doc' AND job_key IS NOT NULL ORDER BY created_at`,
      )
      .all() as Array<{ key: string; status: string; lastError: string | null }>;
    return new Map(rows.map((r) => [r.key, r]));
  }
}

function stoppedReason(lastError: string | null): string {
  const detail = lastError ? ` Last error: ${lastError}` : '';
  return `Indexing stopped before it finished on every attempt (Trove quit or crashed while indexing this document). Retry its job in Activity to try again.${detail}`;
}
