import { close, constants, fstat, open, read, type Dirent, type Stats } from 'node:fs';
import { AppError } from '../../../../shared/errors';
import type { FsPath } from './file-names';

/** What an entry is when it is neither a regular file nor a folder. Such entries are recorded, never opened. */
export type SpecialFileKind = 'named pipe' | 'socket' | 'character device' | 'block device';

export function specialKindOf(entry: Stats | Dirent): SpecialFileKind | undefined {
  if (entry.isFIFO()) return 'named pipe';
  if (entry.isSocket()) return 'socket';
  if (entry.isCharacterDevice()) return 'character device';
  if (entry.isBlockDevice()) return 'block device';
  return undefined;
}

/** The skip reason for a special file, for the person who finds it in the skipped list. */
export function specialFileReason(kind: SpecialFileKind): string {
  switch (kind) {
    case 'named pipe':
      return 'This is a named pipe (FIFO), not a file: it holds no content of its own, and reading it could wait forever, so Trove does not open it.';
    case 'socket':
      return 'This is a socket (a connection point of a running program), not a file with content, so Trove does not open it.';
    case 'character device':
    case 'block device':
      return `This is a ${kind} (hardware or a system device), not a file with content, so Trove does not open it.`;
  }
}

/**
 * A file that cannot be indexed as it is found when opened (it became a
 * special file, or grew past the limit, after the walk): the sync records it
 * as skipped with this reason (`details.skipReason`).
 */
function notReadable(reason: string): AppError {
  return new AppError('UNSUPPORTED_FILE', reason, { details: { skipReason: reason } });
}

/** Read-only, and non-blocking so that opening a named pipe returns at once instead of waiting for a writer. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

export interface OpenedFile {
  fd: number;
  size: number;
}

/**
 * Opens a path for reading only if it is a regular file of at most
 * `maxBytes`, deciding from the open descriptor's own stat (so a file
 * swapped for a pipe after the walk is caught, and nothing is read to find
 * out). Throws AppError UNSUPPORTED_FILE with a skip reason otherwise, or
 * the file system's error. The caller closes `fd`.
 */
export async function openRegularFile(
  path: FsPath,
  maxBytes: number,
  tooLarge: (size: number) => string,
): Promise<OpenedFile> {
  const fd = await new Promise<number>((resolve, reject) =>
    open(path, OPEN_FLAGS, (error, opened) => (error ? reject(error) : resolve(opened))),
  );
  try {
    const stats = await new Promise<Stats>((resolve, reject) =>
      fstat(fd, (error, result) => (error ? reject(error) : resolve(result))),
    );
    const special = specialKindOf(stats);
    if (special) throw notReadable(specialFileReason(special));
    if (stats.isDirectory()) throw notReadable('This path is a folder, not a file.');
    if (stats.size > maxBytes) throw notReadable(tooLarge(stats.size));
    return { fd, size: stats.size };
  } catch (error) {
    closeQuietly(fd);
    throw error;
  }
}

/**
 * Reads `size` bytes (the size its stat gave when opened) from an open file:
 * one read for a small file, no second stat. A file that grew meanwhile is
 * read up to that size, one that shrank up to its end; the next sync sees
 * the new size and reads it again.
 */
export async function readOpenFile(fd: number, size: number, signal: AbortSignal | undefined): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    if (signal?.aborted) throw new AppError('CANCELLED', 'Reading the file was cancelled.', { cause: signal.reason });
    const count = await new Promise<number>((resolve, reject) =>
      read(fd, buffer, filled, size - filled, filled, (error, bytesRead) =>
        error ? reject(error) : resolve(bytesRead),
      ),
    );
    if (count === 0) break;
    filled += count;
  }
  return filled === size ? buffer : buffer.subarray(0, filled);
}

export function closeQuietly(fd: number): void {
  close(fd, () => undefined);
}
