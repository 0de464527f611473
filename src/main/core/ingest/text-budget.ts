import { AppError } from '../../../shared/errors';

interface Waiter {
  size: number;
  resolve: () => void;
}

/**
 * Bounds how much document text is being indexed at once. The queue runs
 * many process_imported_doc jobs side by side because small documents
 * spend most of their time waiting on the embedding worker and the group
 * commit; but each document in flight holds its text, its chunks and their
 * embedding texts (several times its size), so a run of large documents
 * must not be let in 32 at a time. Admission is first come, first served;
 * a document larger than the whole budget is admitted alone.
 */
export class TextBudget {
  private used = 0;
  private readonly waiting: Waiter[] = [];

  constructor(private readonly limit: number) {}

  /**
   * Waits until `size` more characters fit, then returns the function that
   * gives them back (idempotent). Rejects with CANCELLED if `signal` aborts
   * while waiting.
   */
  async acquire(size: number, signal?: AbortSignal): Promise<() => void> {
    const need = Math.min(Math.max(1, size), this.limit);
    if (this.waiting.length === 0 && this.used + need <= this.limit) {
      this.used += need;
      return this.releaser(need);
    }
    if (signal?.aborted) throw cancelled();
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { size: need, resolve };
      const onAbort = (): void => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        this.admit(); // the one behind may fit now
        reject(cancelled());
      };
      waiter.resolve = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
    return this.releaser(need);
  }

  /** Characters admitted and not yet given back (for tests and diagnostics). */
  inUse(): number {
    return this.used;
  }

  private releaser(size: number): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= size;
      this.admit();
    };
  }

  private admit(): void {
    while (this.waiting.length > 0 && this.used + this.waiting[0]!.size <= this.limit) {
      const next = this.waiting.shift()!;
      this.used += next.size;
      next.resolve();
    }
  }
}

function cancelled(): AppError {
  return new AppError('CANCELLED', 'Indexing was cancelled while waiting for memory.');
}
