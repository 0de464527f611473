import type { QueueEvents } from './events';
import type { JobStore, NewJob, InsertOutcome } from './job-store';
import type { TypedEmitter } from './typed-emitter';

/**
 * Emits `queued` for new jobs once the current synchronous code (and any
 * transaction it runs in) has finished: a job enqueued inside a transaction
 * that rolls back is never announced, and an idle worker is woken right
 * after the commit instead of at its next poll.
 */
export class QueuedAnnouncer {
  private pending: QueuedEvent[] = [];
  /** Enqueued inside a caller's transaction: announce only if the row survives it. */
  private readonly uncommitted = new Set<string>();

  constructor(
    private readonly store: JobStore,
    private readonly events: TypedEmitter<QueueEvents>,
    /** Called after jobs were announced (wakes the worker). */
    private readonly onAnnounced: () => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Call right after the store inserted `jobs`. */
  noteInserted(jobs: readonly NewJob[], results: readonly InsertOutcome[]): void {
    const wasEmpty = this.pending.length === 0;
    // Outside a transaction the insert has already committed; inside one it may still roll back.
    const inCallerTransaction = this.store.inTransaction();
    results.forEach((result, i) => {
      const job = jobs[i];
      if (result.deduplicated || !job) return;
      this.pending.push({ jobId: result.id, type: job.type, priority: job.priority, runAt: job.runAt });
      if (inCallerTransaction) this.uncommitted.add(result.id);
    });
    if (wasEmpty && this.pending.length > 0) queueMicrotask(() => this.flush());
  }

  /** Announces what is pending now, if no transaction is open (e.g. before a `cancelled` event). */
  flush(): void {
    if (this.pending.length === 0) return;
    if (this.store.inTransaction()) {
      // Only a transaction held open across an await gets here; wait it out.
      setImmediate(() => this.flush());
      return;
    }
    const notices = this.pending;
    this.pending = [];
    let survived = new Set<string>();
    if (this.uncommitted.size > 0) {
      try {
        survived = this.store.existingIds([...this.uncommitted]);
      } catch (error) {
        this.onError(error);
      }
    }
    let announced = 0;
    for (const notice of notices) {
      if (this.uncommitted.has(notice.jobId) && !survived.has(notice.jobId)) continue;
      this.events.emit('queued', notice);
      announced++;
    }
    this.uncommitted.clear();
    if (announced > 0) this.onAnnounced();
  }
}

type QueuedEvent = QueueEvents['queued'];
