import type { JobQueue } from './job-queue';

export interface WaitUntilIdleOptions {
  /** Only these job types count. Default: every type. */
  types?: readonly string[];
  /** Rejects with the signal's reason when aborted. */
  signal?: AbortSignal;
}

/**
 * Resolves once no job (of the given types) is queued or running: what the
 * CLI's one-shot commands, benchmarks and tests wait for.
 */
export function waitUntilIdle(queue: JobQueue, options: WaitUntilIdleOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const busy = (): boolean => queue.hasLiveJobs(options.types);
    const check = (): void => {
      if (options.signal?.aborted) {
        cleanup();
        reject(options.signal.reason);
      } else if (!busy()) {
        cleanup();
        resolve();
      }
    };
    // A burst of job events (thousands of documents finishing) triggers one
    // check every few milliseconds, not one each.
    let soon: ReturnType<typeof setTimeout> | undefined;
    const checkSoon = (): void => {
      soon ??= setTimeout(() => {
        soon = undefined;
        check();
      }, 10);
    };
    const unsubscribe = [
      queue.on('succeeded', checkSoon),
      queue.on('failed', checkSoon),
      queue.on('cancelled', checkSoon),
      queue.on('retrying', checkSoon),
    ];
    // Jobs due later (retries with backoff) finish without an event here meanwhile.
    const timer = setInterval(check, 250);
    options.signal?.addEventListener('abort', check);
    const cleanup = (): void => {
      clearInterval(timer);
      clearTimeout(soon);
      unsubscribe.forEach((u) => u());
      options.signal?.removeEventListener('abort', check);
    };
    check();
  });
}
