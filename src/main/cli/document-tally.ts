import { jobDocumentId } from '../core/jobs';
import type { JobQueue } from '../core/queue';

const INDEX_JOB = 'process_imported_doc';
const OCR_JOB = 'ocr_document';
const OPEN = ['queued', 'running'] as const;

/** What the progress line says: documents, not jobs. */
export interface DocumentProgress {
  /** Documents whose indexing ended (indexed, skipped or failed) since the tally began. */
  done: number;
  /** `done` plus the documents still waiting for their first indexing. */
  total: number;
  /** Scans waiting for OCR to read them. */
  scansLeft: number;
  /** Documents counted done that are being indexed again (a scan with the text OCR read, a file changed meanwhile). */
  again: number;
}

/**
 * Counts documents rather than indexing jobs. A scan is indexed twice (its
 * text layer, then again once OCR has read it), and a file changed during
 * a sync is queued again, so counting jobs told people "1115/1115
 * documents indexed" for 1,040 documents. Each document counts once, when
 * its first indexing ends; later passes over it are counted apart.
 */
export class DocumentTally {
  private readonly finished = new Set<string>();
  /** Open indexing jobs and the document each works on. */
  private readonly open = new Map<string, string>();
  private readonly unsubscribe: Array<() => void>;

  constructor(private readonly queue: JobQueue) {
    this.unsubscribe = [
      queue.on('queued', (e) => {
        if (e.type === INDEX_JOB) this.noteOpen(e.jobId);
      }),
      queue.on('succeeded', (e) => this.noteEnded(e.type, e.jobId, true)),
      queue.on('failed', (e) => this.noteEnded(e.type, e.jobId, true)),
      queue.on('cancelled', (e) => this.noteEnded(e.type, e.jobId, false)),
    ];
    // Jobs queued before the tally began (a sync already under way, or left by a run that was stopped).
    this.openJobIds();
  }

  /**
   * Picks up what another process on the library did, which raises no event
   * here: the app beside the CLI runs the same queue, so it indexes some of
   * the documents, and may even run the sync and queue them. Jobs open in
   * the database are tracked; tracked jobs no longer open there ended.
   */
  refresh(): void {
    const stillOpen = this.openJobIds();
    for (const jobId of [...this.open.keys()]) {
      if (stillOpen.has(jobId)) continue;
      const status = this.queue.get(jobId)?.status;
      // Queued here since the listing began.
      if (status === 'queued' || status === 'running') continue;
      this.noteEnded(INDEX_JOB, jobId, status !== 'cancelled');
    }
  }

  progress(): DocumentProgress {
    const waiting = new Set<string>();
    let rereads = 0;
    for (const documentId of this.open.values()) {
      if (this.finished.has(documentId)) rereads++;
      else waiting.add(documentId);
    }
    const done = this.finished.size;
    return { done, total: done + waiting.size, scansLeft: this.queue.liveJobCount(OCR_JOB), again: rereads };
  }

  dispose(): void {
    for (const off of this.unsubscribe) off();
  }

  /** Tracks every indexing job open in the database; returns their ids. */
  private openJobIds(): Set<string> {
    const ids = new Set<string>();
    for (let offset = 0; ; offset += 1000) {
      const page = this.queue.list({ type: INDEX_JOB, status: OPEN, limit: 1000, offset });
      for (const job of page) {
        ids.add(job.id);
        if (!this.open.has(job.id)) this.trackOpen(job.id, jobDocumentId(job));
      }
      if (page.length < 1000) break;
    }
    return ids;
  }

  private noteOpen(jobId: string): void {
    this.trackOpen(jobId, this.documentOf(jobId));
  }

  private documentOf(jobId: string): string | null {
    const job = this.queue.get(jobId);
    return job ? jobDocumentId(job) : null;
  }

  private trackOpen(jobId: string, documentId: string | null): void {
    if (documentId) this.open.set(jobId, documentId);
  }

  private noteEnded(type: string, jobId: string, ended: boolean): void {
    if (type !== INDEX_JOB) return;
    // A job the tally never saw queued (it ran between the listing and the subscription) is looked up.
    const documentId = this.open.get(jobId) ?? (ended ? this.documentOf(jobId) : null);
    this.open.delete(jobId);
    if (ended && documentId) this.finished.add(documentId);
  }
}
