import { AppError } from '../../../../shared/errors';
import { pause, type Clock } from '../../clock';

/** Waits `ms` on the injected clock (a rate limit's or a retry's pause); rejects with CANCELLED as soon as `signal` aborts. */
export function abortableDelay(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return pause(clock, ms, signal, () => cancelled(signal));
}

export function cancelled(signal?: AbortSignal): AppError {
  return new AppError('CANCELLED', 'The sync was cancelled.', { cause: signal?.reason });
}
