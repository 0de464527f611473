import { AppError } from '../../../../shared/errors';
import type { Clock } from '../../clock';

/**
 * Waits `ms` on the injected clock, keeping the process alive meanwhile (the
 * request it delays is awaited); rejects with CANCELLED as soon as `signal` aborts.
 */
export function abortableDelay(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(cancelled(signal));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(cancelled(signal));
    };
    const handle = clock.setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      ms,
      { keepAlive: true },
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function cancelled(signal?: AbortSignal): AppError {
  return new AppError('CANCELLED', 'The sync was cancelled.', { cause: signal?.reason });
}
