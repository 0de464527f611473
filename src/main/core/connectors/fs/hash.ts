import { createHash } from 'node:crypto';
import { createReadStream, readFile as readFileCallback } from 'node:fs';

/**
 * The callback readFile is markedly faster than fs/promises' for many small
 * files (one fstat-sized read instead of chunked reads); hashing 10k notes
 * per sync makes that matter.
 */
function readFile(path: string, signal: AbortSignal | undefined): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    readFileCallback(path, { signal }, (error, data) => (error ? reject(error) : resolve(data)));
  });
}

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
  signal?: AbortSignal;
}

/** Files above this are streamed through the hash instead of read in one piece, bounding memory. */
export const STREAM_HASH_THRESHOLD_BYTES = 8 * 1024 * 1024;

/** sha256 of a byte array, lower-case hex: the content hash every local document carries. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Reads a file and hashes its content. `expectedSize` (from the walk's stat)
 * picks the strategy: small files are read whole, large ones streamed.
 */
export async function hashFile(path: string, expectedSize: number, options: HashFileOptions = {}): Promise<HashedFile> {
  if (expectedSize <= STREAM_HASH_THRESHOLD_BYTES) {
    const buffer = await readFile(path, options.signal);
    const keep = buffer.byteLength <= (options.keepBytesUpTo ?? 0);
    return { contentHash: sha256Hex(buffer), bytesRead: buffer.byteLength, bytes: keep ? buffer : undefined };
  }
  const hash = createHash('sha256');
  let bytesRead = 0;
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024, signal: options.signal });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytesRead += chunk.byteLength;
  }
  return { contentHash: hash.digest('hex'), bytesRead };
}
