import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { FsPath } from './file-names';
import { closeQuietly, openRegularFile, readOpenFile } from './open-file';

export interface HashedFile {
  /** sha256 of the bytes, lower-case hex. */
  contentHash: string;
  bytesRead: number;
  /** The bytes themselves, only when the file is at most `keepBytesUpTo`. */
  bytes?: Uint8Array;
}

export interface HashFileOptions {
  /** Keep and return the bytes of files up to this size, so `load` need not read them again. Default 0. */
  keepBytesUpTo?: number;
  /** A file found larger than this when opened is not read (AppError UNSUPPORTED_FILE with the reason). */
  maxBytes: number;
  /** The skip reason for a file of `size` bytes over `maxBytes`. */
  tooLarge(size: number): string;
  signal?: AbortSignal;
}

/** Files above this are streamed through the hash instead of read in one piece, bounding memory. */
export const STREAM_HASH_THRESHOLD_BYTES = 8 * 1024 * 1024;

/** sha256 of a byte array, lower-case hex: the content hash every local document carries. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Reads a regular file and hashes its content (see openRegularFile: special
 * files and files over the limit are refused from the open file's stat).
 * Small files are read whole, large ones streamed.
 */
export async function hashFile(path: FsPath, options: HashFileOptions): Promise<HashedFile> {
  const { fd, size } = await openRegularFile(path, options.maxBytes, options.tooLarge);
  try {
    if (size <= STREAM_HASH_THRESHOLD_BYTES) {
      const buffer = await readOpenFile(fd, size, options.signal);
      const keep = buffer.byteLength <= (options.keepBytesUpTo ?? 0);
      return { contentHash: sha256Hex(buffer), bytesRead: buffer.byteLength, bytes: keep ? buffer : undefined };
    }
    const hash = createHash('sha256');
    let bytesRead = 0;
    const stream = createReadStream('', { fd, autoClose: false, highWaterMark: 1024 * 1024, signal: options.signal });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytesRead += chunk.byteLength;
    }
    return { contentHash: hash.digest('hex'), bytesRead };
  } finally {
    closeQuietly(fd);
  }
}
