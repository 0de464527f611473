import { AppError } from '../../../../shared/errors';

/** The Node error code of a file-system error, if any. */
export function fsErrorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** The path vanished between listing and reading: treat it as never seen. */
export function isMissingError(error: unknown): boolean {
  const code = fsErrorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export function isAbortError(error: unknown): boolean {
  return AppError.is(error, 'CANCELLED') || (error instanceof Error && error.name === 'AbortError');
}

/** Throws AppError CANCELLED when the signal has fired. Checked between files, never mid-write. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('CANCELLED', 'The sync was cancelled.', { cause: signal.reason });
}

/** A short, actionable reason for a file Trove could not read (no document text, only the cause). */
export function unreadableReason(error: unknown): string {
  // A file refused when opened (it became a pipe, or grew past the limit) carries its own reason.
  if (AppError.is(error) && typeof error.details?.skipReason === 'string') return error.details.skipReason;
  const code = fsErrorCode(error);
  if (code === 'EACCES' || code === 'EPERM') {
    return 'Trove does not have permission to read this file. Change its permissions and sync again.';
  }
  if (code === 'EISDIR') return 'This path is a folder, not a file.';
  return `Trove could not read this file (${code ?? 'unknown error'}).`;
}

/** The reason recorded for a folder that exists but cannot be listed. */
export function unreadableFolderReason(error: unknown): string {
  const code = fsErrorCode(error);
  const kept = 'Files indexed from it before are kept.';
  if (code === 'EACCES' || code === 'EPERM') {
    return `Trove does not have permission to open this folder, so the files in it cannot be indexed. ${kept} Change its permissions and sync again.`;
  }
  return `Trove could not open this folder (${code ?? 'unknown error'}), so the files in it cannot be indexed. ${kept}`;
}
