import {
  isLibraryBusy,
  STORAGE_FAULT_CODES,
  STORAGE_FAULT_MESSAGES,
  storageFault,
  type StorageFault,
} from './storage-errors';

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
  /** The disk holding Trove's data is full (see storage-errors.ts). */
  'DISK_FULL',
  /** The disk holding Trove's data reported an I/O error. */
  'DISK_IO',
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

/**
 * Turns anything thrown into an AppError without losing the original as
 * `cause`. A full or failing data disk (SQLITE_FULL, ENOSPC, SQLITE_IOERR,
 * EIO on a write) becomes DISK_FULL / DISK_IO with the one clear message,
 * wherever it was hit: the database, a model download, an upload.
 */
export function toAppError(value: unknown, fallbackCode: ErrorCode = 'INTERNAL'): AppError {
  if (value instanceof AppError) return value;
  const fault = storageFault(value);
  if (fault) return storageError(fault, value);
  if (isLibraryBusy(value)) return new AppError('UNAVAILABLE', LIBRARY_BUSY_MESSAGE, { cause: value });
  if (value instanceof Error) {
    if (value.name === 'AbortError') return new AppError('CANCELLED', 'The operation was cancelled.', { cause: value });
    return new AppError(fallbackCode, value.message, { cause: value });
  }
  return new AppError(fallbackCode, String(value));
}

/** SQLITE_BUSY past the busy timeout, said for a person. */
const LIBRARY_BUSY_MESSAGE =
  'Another Trove process (the app, or a trove command) was writing to this library for a long while; try again in a moment.';

/** The AppError of a full (DISK_FULL) or failing (DISK_IO) data disk, with its one clear message. */
export function storageError(fault: StorageFault, cause?: unknown): AppError {
  return new AppError(STORAGE_FAULT_CODES[fault], STORAGE_FAULT_MESSAGES[fault], { cause });
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
