import { AppError, ERROR_CODES, type ErrorCode } from '../../../shared/errors';

/**
 * An error as it crosses from a worker thread: the fields the app reads, through its
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
