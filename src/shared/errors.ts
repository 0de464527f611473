/**
 * The one error type that crosses module boundaries. `code` is stable and
 * machine-readable; `message` is written for a person: what happened and,
 * where possible, what to do next. Never put secrets or document text in it.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  'CONNECTOR_AUTH',
  /** Browser mode: this browser has no session (the printed URL was not opened in it). */
  'UNAUTHORIZED',
  'RATE_LIMITED',
  'CANCELLED',
  'UNSUPPORTED_FILE',
  'TIMEOUT',
  'UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Extra machine-readable facts (never secrets). */
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options?.details;
  }

  static is(value: unknown, code?: ErrorCode): value is AppError {
    return value instanceof AppError && (code === undefined || value.code === code);
  }
}

/** Turns anything thrown into an AppError without losing the original as `cause`. */
export function toAppError(value: unknown, fallbackCode: ErrorCode = 'INTERNAL'): AppError {
  if (value instanceof AppError) return value;
  if (value instanceof Error) {
    if (value.name === 'AbortError') return new AppError('CANCELLED', 'The operation was cancelled.', { cause: value });
    return new AppError(fallbackCode, value.message, { cause: value });
  }
  return new AppError(fallbackCode, String(value));
}

/** A plain, serialisable view of an error for results, rows and events. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

export function errorInfo(value: unknown): ErrorInfo {
  const err = toAppError(value);
  return { code: err.code, message: err.message };
}
