import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { sep } from 'node:path';
import { AppError } from '../../../../shared/errors';
import { decodeFileName, joinFsPath, type FsPath } from './file-names';
import { isMissingError, throwIfCancelled } from './fs-errors';
import { IGNORE_FILE_NAME, isIgnored, readIgnoreRules, type IgnoreRules } from './ignore-files';
import { specialKindOf, type SpecialFileKind } from './open-file';
import type { PathFilter } from './path-filter';

/** A file found under a root, with the stats incremental sync compares. */
export interface WalkedFile {
  /** Shown and stored; a name that is not UTF-8 is escaped (`caf\xE9.txt`, see file-names.ts). */
  absolutePath: string;
  /** What to open: the real bytes of the path. */
  fsPath: FsPath;
  /** Relative to the root, `/`-separated, escaped like `absolutePath`: the local folder connector's external id. */
  relativePath: string;
  sizeBytes: number;
  /** Fractional epoch milliseconds, as the file system reports it. */
  mtimeMs: number;
  /** Set when the entry is not a regular file (a named pipe, a socket, a device): record it, never open it. */
  special?: SpecialFileKind;
}

export interface WalkOptions {
  filter: PathFilter;
  /** Follow symbolic links to files and folders. Default false: links are skipped. */
  followSymlinks?: boolean;
  /** Leave out what the `.gitignore` files inside the root ignore (ignore-files.ts). Default false. */
  respectGitignore?: boolean;
  /** Checked between directories and stat batches. */
  signal?: AbortSignal;
  /**
   * A folder that cannot be listed, or a file that cannot even be stat'ed
   * (permissions, I/O error). Callers must not treat what was under it as
   * deleted, and should record it so a person sees why.
   */
  onUnreadable?(entry: UnreadableEntry): void;
}

export interface UnreadableEntry {
  kind: 'folder' | 'file';
  relativePath: string;
  absolutePath: string;
  error: unknown;
}

/** How many stat calls run at once within one directory; libuv's pool is 4 threads, this keeps it full. */
const STAT_CONCURRENCY = 256;

/**
 * Directories listed (readdir and stat of their files) ahead of the one being
 * yielded. While the app is busy indexing, every await here waits a whole
 * turn of a crowded event loop; listing the next folders at the same time
 * turns many sequential waits into one (a 10,000-file sync spent most of its
 * time waiting in line, not working).
 */
const LIST_AHEAD = 8;

interface PendingDir {
  absolutePath: string;
  fsPath: FsPath;
  relativePath: string;
  /** The `.gitignore` rules in force in the folder this entry is in. */
  rules?: IgnoreRules;
}

function childRelative(parent: string, name: string): string {
  return parent === '' ? name : `${parent}/${name}`;
}

function childAbsolute(parent: string, name: string): string {
  return parent.endsWith(sep) ? parent + name : parent + sep + name;
}

function identity(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

/** One directory's contents: what the walk decides with, before any symlink bookkeeping. */
type Listing =
  | { ok: true; subdirs: PendingDir[]; candidates: Array<PendingDir & { stat: StatResult }> }
  | { ok: false; error: unknown };

/**
 * Lists a directory: its subdirectories (not excluded) and its candidate
 * files (included regular and special files, plus symlinks when followed)
 * with their stats. Names are read as bytes, so a name that is not UTF-8 is
 * still opened by its real bytes. Has no side effects, so it can run ahead
 * of the walk. Never rejects; once `signal` aborts it stops between stat
 * batches (the walk then throws).
 */
async function listDirectory(
  dir: PendingDir,
  filter: PathFilter,
  options: { followSymlinks: boolean; respectGitignore: boolean; signal: AbortSignal | undefined },
): Promise<Listing> {
  const { followSymlinks, signal } = options;
  let entries: NamedEntry[];
  try {
    entries = await readDirectory(dir.fsPath);
  } catch (error) {
    return { ok: false, error };
  }
  const rules = options.respectGitignore ? await folderRules(dir, entries) : undefined;
  const candidates: PendingDir[] = [];
  const subdirs: PendingDir[] = [];
  for (const { entry, name } of entries) {
    const relativePath = childRelative(dir.relativePath, name.name);
    const item = {
      absolutePath: childAbsolute(dir.absolutePath, name.name),
      fsPath: joinFsPath(dir.fsPath, entry.name, name),
      relativePath,
      rules,
    };
    // Listings almost always carry the type; only DT_UNKNOWN costs an lstat.
    const kind = listedKind(entry) ?? (await lstatKind(item.fsPath));
    if (kind === 'directory') {
      if (!filter.isDirectoryExcluded(relativePath) && !isIgnored(rules, relativePath, true)) subdirs.push(item);
    } else if (kind === 'file' || kind === 'special') {
      if (filter.isFileIncluded(relativePath) && !isIgnored(rules, relativePath, false)) candidates.push(item);
    } else if (kind === 'symlink' && followSymlinks) {
      // Resolved by stat: it may point at a file or a folder. Git matches a link as a file.
      if (!isIgnored(rules, relativePath, false)) candidates.push(item);
    }
  }
  const stated: Array<PendingDir & { stat: StatResult }> = [];
  for (let i = 0; i < candidates.length && !signal?.aborted; i += STAT_CONCURRENCY) {
    const slice = candidates.slice(i, i + STAT_CONCURRENCY);
    const results = await Promise.all(slice.map((c) => statSafely(c.fsPath)));
    slice.forEach((candidate, index) => stated.push({ ...candidate, stat: results[index]! }));
  }
  return { ok: true, subdirs, candidates: stated };
}

/** The rules in force in `dir`: those above it, and its own `.gitignore` if it has one. */
async function folderRules(dir: PendingDir, entries: readonly NamedEntry[]): Promise<IgnoreRules | undefined> {
  // Not a folder or a link (Git reads neither); a file system that lists no types (DT_UNKNOWN) gets a try, and
  // the read itself refuses anything but a regular file, without waiting on a pipe.
  const own = entries.find(
    ({ entry, name }) => name.name === IGNORE_FILE_NAME && !entry.isDirectory() && !entry.isSymbolicLink(),
  );
  if (!own) return dir.rules;
  return readIgnoreRules(joinFsPath(dir.fsPath, own.entry.name, own.name), dir.relativePath, dir.rules);
}

/**
 * Walks a directory tree iteratively (an explicit stack, so depth is never a
 * problem) and yields the matching regular files of each directory as one
 * group, in name order. Symlinks are skipped unless `followSymlinks`; when
 * followed, every directory's device+inode is remembered so a link loop is
 * entered at most once. With `respectGitignore`, each folder's
 * `.gitignore` is read as it is listed and what it ignores is neither
 * entered nor yielded. The next few directories are listed ahead
 * (LIST_AHEAD).
 *
 * Throws AppError UNAVAILABLE when the root itself cannot be opened.
 */
export async function* walkFiles(root: string, options: WalkOptions): AsyncGenerator<WalkedFile[], void, void> {
  const { filter, signal } = options;
  const followSymlinks = options.followSymlinks ?? false;
  const visited = new Set<string>();
  if (followSymlinks) {
    const rootStats = await stat(root).catch(() => undefined);
    if (rootStats) visited.add(identity(rootStats));
  }

  const stack: PendingDir[] = [{ absolutePath: root, fsPath: root, relativePath: '' }];
  const respectGitignore = options.respectGitignore ?? false;
  const list = (dir: PendingDir): Promise<Listing> =>
    listDirectory(dir, filter, { followSymlinks, respectGitignore, signal });
  const ahead = new Map<PendingDir, Promise<Listing>>();
  const listingOf = (dir: PendingDir): Promise<Listing> => {
    const started = ahead.get(dir) ?? list(dir);
    ahead.delete(dir);
    return started;
  };
  while (stack.length > 0) {
    throwIfCancelled(signal);
    const dir = stack.pop()!;
    const pending = listingOf(dir);
    // The stack's top entries are popped next: list them while this one is awaited.
    for (const next of stack.slice(-LIST_AHEAD)) {
      if (!ahead.has(next)) ahead.set(next, list(next));
    }
    const listing = await pending;
    throwIfCancelled(signal);
    if (!listing.ok) {
      if (dir.relativePath === '') {
        throw new AppError('UNAVAILABLE', `The folder ${root} does not exist or cannot be read.`, {
          cause: listing.error,
          details: { path: root },
        });
      }
      // A folder removed mid-walk is simply gone; anything else must not look like a deletion.
      if (!isMissingError(listing.error)) options.onUnreadable?.({ kind: 'folder', ...dir, error: listing.error });
      continue;
    }

    const subdirs = listing.subdirs;
    if (followSymlinks) {
      // Real folders are registered before any link is resolved, so a link to
      // one of them (or to an ancestor) is dropped and real paths win.
      const real = subdirs.splice(0);
      for (const sub of real) {
        const s = await stat(sub.fsPath).catch(() => undefined);
        if (!s || visited.has(identity(s))) continue;
        visited.add(identity(s));
        subdirs.push(sub);
      }
    }

    const files: WalkedFile[] = [];
    for (const { stat: result, ...candidate } of listing.candidates) {
      if (!result.ok) {
        if (!isMissingError(result.error)) options.onUnreadable?.({ kind: 'file', ...candidate, error: result.error });
        continue;
      }
      const s = result.stats;
      if (s.isDirectory()) {
        // Only a followed symlink gets here; real subdirectories were sorted out above.
        if (filter.isDirectoryExcluded(candidate.relativePath) || visited.has(identity(s))) continue;
        visited.add(identity(s));
        subdirs.push(candidate);
        continue;
      }
      const special = specialKindOf(s);
      if ((s.isFile() || special) && filter.isFileIncluded(candidate.relativePath)) {
        files.push({
          absolutePath: candidate.absolutePath,
          fsPath: candidate.fsPath,
          relativePath: candidate.relativePath,
          sizeBytes: special ? 0 : s.size,
          mtimeMs: s.mtimeMs,
          ...(special ? { special } : {}),
        });
      }
    }
    if (files.length > 0) yield files;

    // Reverse so the stack pops subdirectories in name order.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
}

type StatResult = { ok: true; stats: Stats } | { ok: false; error: unknown };

async function statSafely(path: FsPath): Promise<StatResult> {
  try {
    return { ok: true, stats: await stat(path) };
  } catch (error) {
    return { ok: false, error };
  }
}

interface NamedEntry {
  entry: Dirent<Buffer>;
  name: ReturnType<typeof decodeFileName>;
}

async function readDirectory(path: FsPath): Promise<NamedEntry[]> {
  // One call for the whole listing: iterating opendir() awaits a promise per entry.
  const entries = await readdir(path, { withFileTypes: true, encoding: 'buffer' });
  const named = entries.map((entry) => ({ entry, name: decodeFileName(entry.name) }));
  // Name order makes syncs deterministic, which keeps batches and logs reproducible.
  named.sort((a, b) => (a.name.name < b.name.name ? -1 : a.name.name > b.name.name ? 1 : 0));
  return named;
}

type EntryKind = 'file' | 'directory' | 'symlink' | 'special' | 'other';

function listedKind(entry: Dirent<Buffer>): EntryKind | undefined {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'directory';
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice()) return 'special';
  return undefined;
}

/** Some file systems do not report the type in the listing (DT_UNKNOWN): ask. */
async function lstatKind(path: FsPath): Promise<EntryKind> {
  const s = await lstat(path).catch(() => undefined);
  if (!s) return 'other';
  if (s.isFile()) return 'file';
  if (s.isDirectory()) return 'directory';
  if (s.isSymbolicLink()) return 'symlink';
  return specialKindOf(s) ? 'special' : 'other';
}
