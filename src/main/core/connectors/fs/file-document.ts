import { basename } from 'node:path';
import { AppError } from '../../../../shared/errors';
import type { DocumentContent, SourceDocument } from '../types';
import { fileUrl, type FsPath } from './file-names';
import { fsErrorCode, isMissingError } from './fs-errors';
import { mimeTypeForPath } from './mime';
import { closeQuietly, openRegularFile, readOpenFile } from './open-file';

export interface FileDocumentInput {
  externalId: string;
  /** Shown and stored (escaped when a name is not UTF-8, see file-names.ts). */
  absolutePath: string;
  /** The path `load` opens. Default `absolutePath`. */
  fsPath?: FsPath;
  title?: string;
  contentHash: string;
  sizeBytes: number;
  mtimeMs: number;
  metadata: Record<string, unknown>;
  skipReason?: string;
  /** Bytes already read while hashing; handed out by the first `load`, then released. */
  bytes?: Uint8Array;
  /** `load` refuses, unread, a file that has grown past this since it was listed. */
  maxBytes: number;
  /** The skip reason for a file of `size` bytes over `maxBytes`. */
  tooLarge(size: number): string;
}

/**
 * A SourceDocument for a local file. `load` returns the bytes read while
 * hashing when there are any (so a small file is read once per sync), and
 * otherwise opens the file again, checking from the open file that it is
 * still a regular file within the size limit before reading a byte; the
 * handler's parser decides what to do with the bytes.
 */
export function fileSourceDocument(input: FileDocumentInput): SourceDocument {
  const fileName = basename(input.absolutePath);
  const mimeType = mimeTypeForPath(input.absolutePath);
  const fsPath = input.fsPath ?? input.absolutePath;
  let cached = input.bytes;
  return {
    externalId: input.externalId,
    title: input.title ?? fileName,
    mimeType,
    sourceUrl: fileUrl(fsPath),
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
      const bytes = await readLocalFile(fsPath, input.absolutePath, input, signal);
      return { kind: 'bytes', bytes, mimeType, fileName };
    },
  };
}

/**
 * Reads a file for `load`, turning file-system errors into messages a
 * person can act on. A special file or one over `maxBytes` is refused
 * unread (AppError UNSUPPORTED_FILE with a skip reason).
 */
export async function readLocalFile(
  fsPath: FsPath,
  shownPath: string,
  limit: Pick<FileDocumentInput, 'maxBytes' | 'tooLarge'>,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  try {
    const { fd, size } = await openRegularFile(fsPath, limit.maxBytes, limit.tooLarge);
    try {
      return await readOpenFile(fd, size, signal);
    } finally {
      closeQuietly(fd);
    }
  } catch (error) {
    if (AppError.is(error)) throw error;
    if (error instanceof Error && error.name === 'AbortError') {
      throw new AppError('CANCELLED', 'Reading the file was cancelled.', { cause: error });
    }
    if (isMissingError(error)) {
      throw new AppError('NOT_FOUND', `The file ${shownPath} no longer exists. Sync again to update the index.`, {
        cause: error,
      });
    }
    const code = fsErrorCode(error);
    throw new AppError('UNAVAILABLE', `Trove could not read ${shownPath} (${code ?? 'unknown error'}).`, {
      cause: error,
    });
  }
}

export interface SkippedPathInput {
  kind: 'folder' | 'file';
  externalId: string;
  title: string;
  /** Shown and stored. */
  absolutePath: string;
  contentHash: string;
  skipReason: string;
  metadata: Record<string, unknown>;
}

/**
 * A record for something that is not read at all (a folder that cannot be
 * opened, a file that cannot even be stat'ed): it exists only so a person
 * sees it in the skipped list with its reason. `load` is never called for a
 * document with a skip reason.
 */
export function skippedPathDocument(input: SkippedPathInput): SourceDocument {
  return {
    externalId: input.externalId,
    title: input.title,
    mimeType: input.kind === 'folder' ? 'inode/directory' : mimeTypeForPath(input.absolutePath),
    sourceUrl: fileUrl(input.absolutePath),
    contentHash: input.contentHash,
    metadata: input.metadata,
    skipReason: input.skipReason,
    load: () =>
      Promise.reject(new AppError('INTERNAL', `${input.absolutePath} is recorded as skipped and has no content.`)),
  };
}
