import type { KnownDocument } from '../types';

/**
 * Content hashes for files whose bytes were never hashed. They still change
 * when the file does (size or mtime), so the handler's "same hash, nothing to
 * do" rule keeps working, and the `skip:` prefix tells the next sync that
 * there is no real content behind them.
 */
export function overSizeHash(sizeBytes: number, mtimeMs: number): string {
  return `skip:size:${sizeBytes}:${mtimeMs}`;
}

export function unreadableHash(sizeBytes: number, mtimeMs: number): string {
  return `skip:unreadable:${sizeBytes}:${mtimeMs}`;
}

/** A named pipe, socket or device: never read, so the kind is all there is to compare. */
export function specialFileHash(kind: string): string {
  return `skip:special:${kind}`;
}

/** A folder that cannot be listed, or a file that cannot be stat'ed, by the error's code. */
export function unlistedHash(what: 'folder' | 'file', code: string | undefined): string {
  return `skip:unlisted-${what}:${code ?? 'unknown'}`;
}

export function isPlaceholderHash(hash: string | null | undefined): boolean {
  return hash == null || hash.startsWith('skip:');
}

/**
 * True when size and mtime match what the handler stored. The exact mtime
 * (fractional ms, kept in metadata.mtimeMs) is preferred; `modifiedAt` is
 * whole milliseconds and only the fallback.
 */
export function sameSizeAndMtime(
  known: Pick<KnownDocument, 'sizeBytes' | 'modifiedAt' | 'metadata'>,
  sizeBytes: number,
  mtimeMs: number,
): boolean {
  if (known.sizeBytes !== sizeBytes) return false;
  const exact = known.metadata.mtimeMs;
  return typeof exact === 'number' ? exact === mtimeMs : known.modifiedAt === Math.trunc(mtimeMs);
}
