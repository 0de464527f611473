import { gunzipSync } from 'node:zlib';
import { formatSize } from '../limits';
import { ParseFailure, shortParserReason } from '../parse-failure';

/**
 * A gzip-compressed file (`NEWS.gz`, `changelog.Debian.gz`, `server.log.2.gz`,
 * `manual.pdf.gz`): its bytes uncompressed, never past `maxBytes`. gzip
 * reaches about 1000 to 1, so a file of a few megabytes can hold gigabytes:
 * zlib's `maxOutputLength` stops inflating at the limit, before the memory
 * is taken. Several members one after another (as `cat a.gz b.gz` makes)
 * are one file, as gunzip reads them.
 */
export function gunzipBounded(bytes: Uint8Array, maxBytes: number): Uint8Array {
  try {
    const inflated = gunzipSync(bytes, { maxOutputLength: Math.max(1, maxBytes) });
    // A plain view, not a Buffer: pdf.js refuses Buffers.
    return new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ParseFailure(
        'too_large',
        `This file is ${formatSize(bytes.byteLength)} compressed and more than ${formatSize(maxBytes)} uncompressed; Trove reads files up to ${formatSize(maxBytes)}.`,
      );
    }
    throw new ParseFailure('corrupt', `This gzip-compressed file is damaged (${shortParserReason(error)}).`, {
      cause: error,
    });
  }
}
