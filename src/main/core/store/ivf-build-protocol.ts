import { AppError, ERROR_CODES, type ErrorCode } from '../../../shared/errors';
import type { IvfBuildProgress, IvfBuildReport } from './ivf-index';

/** What ivf-build.worker is started with (workerData). Plain data only (structured clone). */
export interface IvfBuildRequest {
  /** The library's database file. */
  file: string;
  spaceId: number;
  /** Overrides the planned list count (tests). */
  lists?: number;
  /** How long the worker's writes wait for the app's and other processes' (they are short). */
  busyTimeoutMs: number;
  /** The float table's count when the build was planned, for progress. */
  expectedVectors?: number;
}

/** What the worker sends: progress while it builds (several), then its outcome, once. */
export type IvfBuildReply = { type: 'progress'; progress: IvfBuildProgress } | IvfBuildOutcome;

export type IvfBuildOutcome =
  | { type: 'built'; report: IvfBuildReport }
  /** Quantisation was turned off, or another build began, while this one ran. */
  | { type: 'superseded' }
  | { type: 'failed'; error: WireError };

/**
 * An error as it crosses the thread: the fields the app reads, through its
 * causes (a full disk, an I/O error and a busy library are told by `code`).
 */
export interface WireError {
  name: string;
  message: string;
  code?: string;
  syscall?: string;
  cause?: WireError;
}

/** Causes followed, as shared/storage-errors.ts follows them. */
const MAX_CAUSES = 6;

export function errorToWire(error: unknown, depth = 0): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  return {
    name: error.name,
    message: error.message,
    code: typeof code === 'string' ? code : undefined,
    syscall: typeof syscall === 'string' ? syscall : undefined,
    cause: error.cause !== undefined && depth < MAX_CAUSES ? errorToWire(error.cause, depth + 1) : undefined,
  };
}

export function errorFromWire(wire: WireError): Error {
  const cause = wire.cause ? errorFromWire(wire.cause) : undefined;
  if (wire.name === 'AppError' && ERROR_CODES.includes(wire.code as ErrorCode)) {
    return new AppError(wire.code as ErrorCode, wire.message, { cause });
  }
  const error = new Error(wire.message, cause === undefined ? undefined : { cause });
  return Object.assign(error, { name: wire.name, code: wire.code, syscall: wire.syscall });
}
