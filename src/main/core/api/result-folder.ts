import { dirname, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder a watched folder's file is in, relative to the watched folder,
 * with a trailing slash (`library/`, `src/queue/`), or `''` at its top: what
 * tells apart two results with one name (`queue/backoff.ts` and
 * `relay/backoff.ts`), and shows where a page titled from inside it lives.
 * Null when the document is not a file under `root` (another connector, a
 * link that is not a file URL).
 */
export function folderWithin(root: string, sourceUrl: string | null): string | null {
  if (!sourceUrl?.startsWith('file:')) return null;
  let file: string;
  try {
    // The fragment (a message inside a mailbox) is not part of the path.
    file = fileURLToPath(sourceUrl);
  } catch {
    return null;
  }
  const folder = relative(root, dirname(file));
  if (folder.startsWith('..') || folder.startsWith(sep) || /^[a-z]:/i.test(folder)) return null;
  return folder === '' ? '' : `${folder.split(sep).join('/')}/`;
}
