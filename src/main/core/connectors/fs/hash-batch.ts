import { AppError } from '../../../../shared/errors';
import type { FsPath } from './file-names';
import { isAbortError, isMissingError, throwIfCancelled } from './fs-errors';
import { hashFile, type HashedFile, type HashFileOptions } from './hash';

/** What reading one file of a batch came to. */
export type HashOutcome =
  | { kind: 'hashed'; hashed: HashedFile }
  /** Deleted between listing and reading: it is not there, so it is not seen. */
  | { kind: 'missing' }
  /** Exists but could not be read (permissions, I/O, refused when opened); `error` says why. */
  | { kind: 'unreadable'; error: unknown };

/**
 * Hashes a batch of files side by side (the caller bounds the batch), in the
 * order given. A cancelled read ends the whole batch with AppError CANCELLED
 * (`cancelMessage`); any other failure is that file's outcome.
 */
export async function hashBatch(
  files: readonly { fsPath: FsPath }[],
  options: HashFileOptions & { cancelMessage: string },
): Promise<HashOutcome[]> {
  const { cancelMessage, ...hashOptions } = options;
  const results = await Promise.all(
    files.map((file) =>
      hashFile(file.fsPath, hashOptions).then(
        (hashed): HashOutcome => ({ kind: 'hashed', hashed }),
        (error: unknown): HashOutcome => {
          if (isAbortError(error)) throw new AppError('CANCELLED', cancelMessage, { cause: error });
          return isMissingError(error) ? { kind: 'missing' } : { kind: 'unreadable', error };
        },
      ),
    ),
  );
  throwIfCancelled(options.signal);
  return results;
}
