/**
 * Recognises errors that mean the disk holding Trove's data cannot take
 * writes: it is full, or it failed. Such an error is never the fault of the
 * document or the job that happened to hit it, so callers pause and retry
 * later instead of marking anything failed.
 *
 * Pure (no Node imports): it reads only the `code` (and `syscall`) that
 * SQLite and Node put on their errors, following `cause` chains, so an
 * error wrapped in an AppError is recognised too.
 */

/** `full`: no space (or quota) left; `io`: the disk reported an input/output error. */
export type StorageFault = 'full' | 'io';

/** The AppError codes a storage fault is reported with. */
export const STORAGE_FAULT_CODES = { full: 'DISK_FULL', io: 'DISK_IO' } as const;

/** What a person reads, in every shape of the app (UI banner, notification, CLI, `trove status`). */
export const STORAGE_FAULT_MESSAGES: Record<StorageFault, string> = {
  full: "The disk holding Trove's data is full: free space, then Trove resumes.",
  io: "The disk holding Trove's data reported an I/O error: check the disk (is it failing or disconnected?), then Trove resumes.",
};

/**
 * Node reports ENOSPC for things that are not disk space: inotify's watch
 * limit ("System limit for number of file watchers reached").
 */
const NOT_DISK_SPACE_SYSCALLS = /^(watch|inotify)/;

/**
 * EIO while *reading* may come from a failing source disk (a USB stick being
 * indexed), not from Trove's own; only writes are Trove's data disk for sure.
 * SQLite's own I/O errors are always about the database.
 */
const WRITE_SYSCALLS = new Set(['write', 'writev', 'pwrite', 'fsync', 'fdatasync', 'ftruncate', 'copyfile', 'rename']);

/** How deep `cause` chains are followed. */
const MAX_CAUSE_DEPTH = 6;

/** The storage fault behind `value` (or one of its causes), if any. */
export function storageFault(value: unknown): StorageFault | undefined {
  return inCauses(value, faultOf);
}

export function isStorageFault(value: unknown): boolean {
  return storageFault(value) !== undefined;
}

/**
 * Whether `value` (or one of its causes) is SQLite's "database is locked":
 * another process on the library (the CLI beside the app) held its write
 * lock past the busy timeout. Nothing is wrong with the disk or the work.
 */
export function isLibraryBusy(value: unknown): boolean {
  return (
    inCauses(value, ({ code }) => (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) || undefined) ?? false
  );
}

/**
 * `value` and the errors it wraps, outermost first, through `cause`: at most
 * MAX_CAUSE_DEPTH of them, so a cycle cannot hold it.
 */
export function causeChain(value: unknown): object[] {
  const chain: object[] = [];
  for (let current = value; chain.length < MAX_CAUSE_DEPTH && typeof current === 'object' && current !== null;) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

function inCauses<T>(
  value: unknown,
  pick: (error: { code?: unknown; syscall?: unknown }) => T | undefined,
): T | undefined {
  for (const error of causeChain(value)) {
    const found = pick(error);
    if (found !== undefined) return found;
  }
  return undefined;
}

function faultOf(error: { code?: unknown; syscall?: unknown }): StorageFault | undefined {
  const { code } = error;
  if (typeof code !== 'string') return undefined;
  const syscall = typeof error.syscall === 'string' ? error.syscall : undefined;
  switch (code) {
    case STORAGE_FAULT_CODES.full:
    case 'SQLITE_FULL':
    case 'EDQUOT':
      return 'full';
    case 'ENOSPC':
      return syscall !== undefined && NOT_DISK_SPACE_SYSCALLS.test(syscall) ? undefined : 'full';
    case STORAGE_FAULT_CODES.io:
      return 'io';
    case 'EIO':
      return syscall !== undefined && WRITE_SYSCALLS.has(syscall) ? 'io' : undefined;
  }
  // SQLITE_IOERR and its extended codes (SQLITE_IOERR_WRITE, _FSYNC, ...), but
  // not the one that means "out of memory during I/O".
  return code.startsWith('SQLITE_IOERR') && code !== 'SQLITE_IOERR_NOMEM' ? 'io' : undefined;
}
