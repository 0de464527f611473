import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppError } from '../../../shared/errors';

/** `~` and `~/…` (as people type them) become paths under the home folder of the user running Trove. */
export function expandHome(path: string, home = homedir()): string {
  const trimmed = path.trim();
  if (trimmed === '~') return home;
  if (/^~[\\/]/.test(trimmed)) return join(home, trimmed.slice(2));
  return trimmed;
}

/**
 * Expands and resolves typed paths and refuses the whole list if one does
 * not exist, naming it: an import of a mistyped path fails at once and
 * visibly, and the path is never remembered.
 */
export async function existingPaths(paths: readonly string[]): Promise<string[]> {
  const expanded = paths.map((p) => resolve(expandHome(p)));
  const missing: string[] = [];
  await Promise.all(
    expanded.map((p) =>
      stat(p).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' || error.code === 'ENOTDIR') missing.push(p);
      }),
    ),
  );
  if (missing.length > 0) {
    const shown = missing.slice(0, 3).join(', ') + (missing.length > 3 ? ` and ${missing.length - 3} more` : '');
    throw new AppError(
      'NOT_FOUND',
      `Nothing was imported: ${missing.length === 1 ? 'this path does' : 'these paths do'} not exist on this computer: ${shown}. Check the spelling and try again.`,
      { details: { missing } },
    );
  }
  return [...new Set(expanded)];
}
