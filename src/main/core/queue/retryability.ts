import { AppError, type ErrorCode } from '../../../shared/errors';

/** Error codes that never succeed on a retry. Default for the queue's `nonRetryableCodes`. */
export const DEFAULT_NON_RETRYABLE_CODES: readonly ErrorCode[] = ['VALIDATION'];

/**
 * Marks an error so the queue fails the job at once instead of retrying it,
 * e.g. `throw nonRetryable(new AppError('NOT_FOUND', 'The connector was removed.'))`.
 * Any thrown object with `nonRetryable: true` (or an AppError whose
 * `details.nonRetryable` is true) counts.
 */
export function nonRetryable<E extends Error>(error: E): E & { nonRetryable: true } {
  return Object.assign(error, { nonRetryable: true as const });
}

export function isNonRetryable(
  error: unknown,
  nonRetryableCodes: readonly ErrorCode[] = DEFAULT_NON_RETRYABLE_CODES,
): boolean {
  if (typeof error === 'object' && error !== null && 'nonRetryable' in error && error.nonRetryable === true)
    return true;
  if (error instanceof AppError) {
    return nonRetryableCodes.includes(error.code) || error.details?.nonRetryable === true;
  }
  return false;
}
