import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../../../shared/errors';
import type { DocumentContent, SourceDocument } from '../types';
import { fsErrorCode, isMissingError } from './fs-errors';
import { mimeTypeForPath } from './mime';

export interface FileDocumentInput {
  externalId: string;
  /** The file `load` reads. */
  absolutePath: string;
  title?: string;
  contentHash: string;
  sizeBytes: number;
  mtimeMs: number;
  metadata: Record<string, unknown>;
  skipReason?: string;
  /** Bytes already read while hashing; handed out by the first `load`, then released. */
  bytes?: Uint8Array;
}

/** `file:///...` for an absolute path, correctly escaped. */
export function fileUrl(absolutePath: string): string {
  return pathToFileURL(absolutePath).href;
}

/**
 * A SourceDocument for a local file. `load` returns the bytes read while
 * hashing when there are any (so a small file is read once per sync), and
 * otherwise reads the file again; the handler's parser decides what to do
 * with the bytes.
 */
export function fileSourceDocument(input: FileDocumentInput): SourceDocument {
  const fileName = basename(input.absolutePath);
  const mimeType = mimeTypeForPath(input.absolutePath);
  let cached = input.bytes;
  return {
    externalId: input.externalId,
    title: input.title ?? fileName,
    mimeType,
    sourceUrl: fileUrl(input.absolutePath),
    contentHash: input.contentHash,
    sizeBytes: input.sizeBytes,
    // The store keeps whole milliseconds; the exact value stays in metadata.mtimeMs.
    modifiedAt: Math.trunc(input.mtimeMs),
    metadata: input.metadata,
    skipReason: input.skipReason,
    async load(signal: AbortSignal): Promise<DocumentContent> {
      if (cached) {
        const bytes = cached;
        // Release our reference so a batch's bytes do not outlive their processing.
        cached = undefined;
        return { kind: 'bytes', bytes, mimeType, fileName };
      }
      return { kind: 'bytes', bytes: await readLocalFile(input.absolutePath, signal), mimeType, fileName };
    },
  };
}

/** Reads a file for `load`, turning file-system errors into messages a person can act on. */
export async function readLocalFile(absolutePath: string, signal?: AbortSignal): Promise<Uint8Array> {
  try {
    return await readFile(absolutePath, { signal });
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') {
      throw new AppError('CANCELLED', 'Reading the file was cancelled.', { cause: error });
    }
    if (isMissingError(error)) {
      throw new AppError('NOT_FOUND', `The file ${absolutePath} no longer exists. Sync again to update the index.`, {
        cause: error,
      });
    }
    const code = fsErrorCode(error);
    throw new AppError('UNAVAILABLE', `Trove could not read ${absolutePath} (${code ?? 'unknown error'}).`, {
      cause: error,
    });
  }
}
