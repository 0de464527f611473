import { readdir } from 'node:fs/promises';
import { formatCount } from '../../../../shared/counted';
import { AppError } from '../../../../shared/errors';
import type { SyncOptions } from '../types';

/**
 * A folder that is suddenly empty while documents from it are indexed is,
 * far more often than a person deleting everything, a drive or network share
 * that is not connected: its mount point stays behind, empty (an NFS or SMB
 * share under /mnt, an autofs directory, a drive's folder a script created).
 * Removing every document then would throw away the whole index of that
 * source, its embeddings included, and rebuild it when the drive is back.
 *
 * So a sync the person did not ask for keeps them and fails with what to do,
 * as it does for a folder that is gone. A full sync (the Full sync button,
 * `trove sync --full`) is a person's request and removes them: that is how
 * emptying the folder on purpose reaches the index.
 */
export async function refuseEmptiedRoot(root: string, options: Pick<SyncOptions, 'mode' | 'known'>): Promise<void> {
  if (options.mode === 'full') return;
  const kept = indexedDocumentCount(options.known.ids());
  if (kept === 0) return;
  // The walk found no file; only a root with no entry at all looks unmounted (empty subfolders are a choice).
  const entries = await readdir(root);
  if (entries.length > 0) return;
  const documents =
    kept === 1 ? 'the document indexed from it was' : `the ${formatCount(kept)} documents indexed from it were`;
  throw new AppError(
    'UNAVAILABLE',
    `The folder ${root} is empty, so ${documents} kept. ` +
      'If it is on a drive or network share, connect it and sync again. ' +
      'If you emptied it on purpose, run a full sync to remove them from the index.',
    { details: { path: root, kept } },
  );
}

/** Stored ids other than the records of folders (`<path>/`, kept for folders that could not be read). */
function indexedDocumentCount(ids: Iterable<string>): number {
  let count = 0;
  for (const id of ids) if (!id.endsWith('/')) count++;
  return count;
}
