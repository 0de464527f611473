import ignore, { type Ignore } from 'ignore';
import { join } from 'node:path';
import { fsPathOf, type FsPath } from './file-names';
import { closeQuietly, openRegularFile, readOpenFile } from './open-file';

/**
 * `.gitignore` files, read as Git reads them. A project folder holds build
 * output, caches, virtual environments and coverage reports that its
 * `.gitignore` already names: minified bundles and source maps whose words
 * are every identifier of the project, which then crowd the results of any
 * search about the code (a clone of Trove itself: 228 files under `out/`).
 * The rules are the project's own statement of what is not its content, so
 * they are followed by default (a folder's `respectGitignore` setting).
 *
 * Only the `.gitignore` files inside the folder count (not the repository's
 * `.git/info/exclude` nor a person's global excludes, which say what one
 * person keeps out of commits, not what the files are). The pattern
 * language, negation and precedence are those of gitignore(5), by the
 * `ignore` package: rules in a deeper file override those above it, and a
 * file inside an ignored folder cannot be brought back (the walk never
 * enters that folder).
 */
export const IGNORE_FILE_NAME = '.gitignore';

/**
 * A larger `.gitignore` (thousands of patterns) is not one a person wrote;
 * it is left unread rather than held in memory (the walk reads one per
 * folder).
 */
export const MAX_IGNORE_FILE_BYTES = 256 * 1024;

/** The rules in force in one folder: its own `.gitignore`, then those of the folders above it. */
export interface IgnoreRules {
  /** The folder whose `.gitignore` these are, relative to the root (`''` for the root). */
  base: string;
  matcher: Ignore;
  parent: IgnoreRules | undefined;
}

/** Git's own default: file names differ only in case where the file system does not tell them apart. */
const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

/** Rules from a `.gitignore`'s text, on top of the folder's parent rules. */
export function ignoreRules(text: string, base: string, parent: IgnoreRules | undefined): IgnoreRules {
  return { base, matcher: ignore({ ignorecase: IGNORE_CASE }).add(text), parent };
}

/**
 * Reads `file`, the `.gitignore` of the folder at `base` (relative to the
 * root), on top of the rules above it. A file that cannot be read, is not a
 * regular file or is larger than MAX_IGNORE_FILE_BYTES adds nothing: the
 * folder is indexed as if it had none, never skipped because of it.
 */
export async function readIgnoreRules(
  file: FsPath,
  base: string,
  parent: IgnoreRules | undefined,
): Promise<IgnoreRules | undefined> {
  const text = await readSmallFile(file);
  return text === undefined ? parent : ignoreRules(text, base, parent);
}

/**
 * Whether `relativePath` (relative to the walk's root, `/`-separated) is
 * ignored by the rules in force in its folder. The deepest `.gitignore`
 * that says anything about it decides, as in Git.
 */
export function isIgnored(rules: IgnoreRules | undefined, relativePath: string, isDirectory: boolean): boolean {
  for (let level = rules; level; level = level.parent) {
    const path = level.base === '' ? relativePath : relativePath.slice(level.base.length + 1);
    let result;
    try {
      result = level.matcher.test(isDirectory ? `${path}/` : path);
    } catch {
      // The matcher refuses paths it calls malformed (`.`); a name it cannot judge is kept, never a failed sync.
      return false;
    }
    if (result.ignored) return true;
    if (result.unignored) return false;
  }
  return false;
}

/**
 * A check of named files under `root` against the `.gitignore` of each
 * folder on their way, for a sync of named files (no walk). Each folder's
 * rules are read once per checker, however many of the files share it.
 */
export function ignoredUnder(root: string): (relativePath: string) => Promise<boolean> {
  /** A folder (relative, `/`-separated, `''` for the root) -> the rules in force in it, read once. */
  const rulesOf = new Map<string, Promise<IgnoreRules | undefined>>();
  const folderRules = (folder: string): Promise<IgnoreRules | undefined> => {
    let rules = rulesOf.get(folder);
    if (!rules) {
      const above = folder === '' ? Promise.resolve(undefined) : folderRules(folder.split('/').slice(0, -1).join('/'));
      const file = fsPathOf(join(root, ...folder.split('/'), IGNORE_FILE_NAME));
      rules = above.then((parent) => readIgnoreRules(file, folder, parent));
      rulesOf.set(folder, rules);
    }
    return rules;
  };
  return async (relativePath) => {
    const parts = relativePath.split('/');
    for (let depth = 0; depth < parts.length; depth++) {
      const rules = await folderRules(parts.slice(0, depth).join('/'));
      if (isIgnored(rules, parts.slice(0, depth + 1).join('/'), depth < parts.length - 1)) return true;
    }
    return false;
  };
}

/** The file's text; undefined when it is missing, unreadable, not a regular file (a pipe is never waited on) or too large. */
async function readSmallFile(path: FsPath): Promise<string | undefined> {
  let opened;
  try {
    opened = await openRegularFile(path, MAX_IGNORE_FILE_BYTES, () => 'too large');
    return (await readOpenFile(opened.fd, opened.size, undefined)).toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (opened) closeQuietly(opened.fd);
  }
}
