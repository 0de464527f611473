import { constants, gunzipSync } from 'node:zlib';
import { formatSize } from '../limits';
import { ParseFailure, shortParserReason } from '../parse-failure';

/**
 * A gzip-compressed file (`NEWS.gz`, `changelog.Debian.gz`, `server.log.2.gz`,
 * `manual.pdf.gz`): its bytes uncompressed, never past `maxBytes`. gzip
 * reaches about 1000 to 1, so a file of a few megabytes can hold gigabytes:
 * zlib's `maxOutputLength` stops inflating at the limit, before the memory
 * is taken. Several members one after another (as `cat a.gz b.gz` makes)
 * are one file, as gunzip reads them. One cut short gives what it holds up
 * to the cut, and says so (`cutShort`).
 */
export function gunzipBounded(bytes: Uint8Array, maxBytes: number): Gunzipped {
  try {
    return { bytes: view(gunzipSync(bytes, { maxOutputLength: Math.max(1, maxBytes) })), cutShort: false };
  } catch (error) {
    if (isTooLarge(error)) throw tooLarge(bytes, maxBytes);
    // Cut short (an interrupted download or copy, a log copied while written): what comes before the cut.
    const partial = (error as { code?: unknown }).code === 'Z_BUF_ERROR' ? beforeCut(bytes, maxBytes) : undefined;
    if (partial && partial.byteLength > 0) return { bytes: partial, cutShort: true };
    throw new ParseFailure('corrupt', `This gzip-compressed file is damaged (${shortParserReason(error)}).`, {
      cause: error,
    });
  }
}

export interface Gunzipped {
  bytes: Uint8Array;
  /** The compressed data ended before its end: `bytes` are what it held up to there. */
  cutShort: boolean;
}

function beforeCut(bytes: Uint8Array, maxBytes: number): Uint8Array | undefined {
  try {
    return view(gunzipSync(bytes, { maxOutputLength: Math.max(1, maxBytes), finishFlush: constants.Z_SYNC_FLUSH }));
  } catch (error) {
    if (isTooLarge(error)) throw tooLarge(bytes, maxBytes);
    return undefined;
  }
}

/** A plain view, not a Buffer: pdf.js refuses Buffers. */
function view(inflated: Buffer): Uint8Array {
  return new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
}

function isTooLarge(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
}

function tooLarge(bytes: Uint8Array, maxBytes: number): ParseFailure {
  return new ParseFailure(
    'too_large',
    `This file is ${formatSize(bytes.byteLength)} compressed and more than ${formatSize(maxBytes)} uncompressed; Trove reads files up to ${formatSize(maxBytes)}.`,
  );
}
