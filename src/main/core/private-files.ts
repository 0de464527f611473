import { closeSync, constants, fchmodSync, lstatSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Everything Trove writes under its data folder holds document text (the
 * database, uploads) or what reads it (models), so it is readable by its
 * owner only. The modes are given when a file or folder is created, so there
 * is never a moment when another local user could open it. POSIX only:
 * Windows ignores these modes (its per-user profile folders are private).
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** The group and other permission bits: what "private" removes. */
const GROUP_AND_OTHER = 0o077;
/** S_ISVTX, which Node's fs.constants does not export: set on shared folders such as /tmp. */
const STICKY_BIT = 0o1000;

/** `mkdir -p` whose created folders are owner-only (existing ones are left as they are). */
export function mkdirPrivateSync(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** `mkdir -p` whose created folders are owner-only (existing ones are left as they are). */
export async function mkdirPrivate(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * Creates `file` empty and owner-only unless it exists. SQLite opens an empty
 * file as an empty database and gives its -wal and -shm files the database
 * file's mode, so creating it here makes all three private by construction.
 */
export function createPrivateFileSync(file: string): void {
  try {
    closeSync(openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, PRIVATE_FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

export interface RestrictOptions {
  /** The entries of the root (file or folder names) to make private; nothing else in it is touched. */
  entries: (name: string) => boolean;
  /** Called for an entry that could not be changed (not ours, vanished); the walk goes on. */
  onError?: (path: string, error: NodeJS.ErrnoException) => void;
}

/**
 * Makes a folder created by an older Trove private: removes the group and
 * other bits from the chosen entries of `root` (recursively) and then from
 * `root` itself. Runs only while `root` is not private yet, so it costs one
 * `stat` on every later start; `root` is changed last, so a walk that was
 * interrupted runs again next time.
 *
 * Never leaves `root`: symbolic links in it are neither followed nor changed, and
 * every change goes through a descriptor opened with O_NOFOLLOW, so a link
 * swapped in during the walk is not followed either. The owner's bits are
 * kept (a read-only file stays read-only). A root that is not ours or is
 * sticky (a shared folder like /tmp used as the data folder) keeps its own
 * mode; Trove's entries in it are still made private.
 *
 * Returns the number of files and folders changed. No-op on Windows.
 */
export function restrictToOwner(root: string, options: RestrictOptions): number {
  if (process.platform === 'win32') return 0;
  const rootStat = statSync(root);
  if ((rootStat.mode & GROUP_AND_OTHER) === 0) return 0;
  let changed = 0;
  const tighten = (path: string, mode: number, followLink = false): void => {
    if ((mode & GROUP_AND_OTHER) === 0) return;
    try {
      const flags = constants.O_RDONLY | constants.O_NONBLOCK | (followLink ? 0 : constants.O_NOFOLLOW);
      const fd = openSync(path, flags);
      try {
        fchmodSync(fd, mode & 0o7777 & ~GROUP_AND_OTHER);
      } finally {
        closeSync(fd);
      }
      changed++;
    } catch (error) {
      options.onError?.(path, error as NodeJS.ErrnoException);
    }
  };
  const visit = (dir: string, names: string[]): void => {
    for (const name of names) {
      const path = join(dir, name);
      let info;
      try {
        info = lstatSync(path);
      } catch (error) {
        options.onError?.(path, error as NodeJS.ErrnoException);
        continue;
      }
      // Links, sockets and pipes are left alone: a link may point anywhere.
      if (info.isDirectory()) {
        visit(path, listFolder(path, options));
        tighten(path, info.mode);
      } else if (info.isFile()) {
        tighten(path, info.mode);
      }
    }
  };
  visit(root, listFolder(root, options).filter(options.entries));
  const isOwn = typeof process.getuid !== 'function' || rootStat.uid === process.getuid();
  // The root itself may be a link: the folder it names is the one the user chose.
  if (isOwn && (rootStat.mode & STICKY_BIT) === 0) tighten(root, rootStat.mode, true);
  return changed;
}

function listFolder(dir: string, options: RestrictOptions): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    options.onError?.(dir, error as NodeJS.ErrnoException);
    return [];
  }
}
