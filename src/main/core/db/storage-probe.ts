import { open, statfs, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { storageError } from '../../../shared/errors';

export interface StorageProbeOptions {
  db: Database;
  /** The data folder: the probe file is written there, on the same disk as the database. */
  dataDir: string;
  /**
   * Free space the disk must report before writes count as possible again,
   * bytes. Default 16 MiB: resuming with a few kilobytes free would fill the
   * disk again within a commit or two and pause again (a pause-resume flap).
   */
  headroomBytes?: number;
}

const PROBE_FILE = '.write-probe';
/** Bytes written (and fsynced) to the probe file: more than a page, so the disk must find new blocks. */
const PROBE_FILE_BYTES = 64 * 1024;
/**
 * A JSON string this long is inserted and deleted again: 256 pages, more
 * than the few free pages a database usually has, so the file (or the WAL)
 * must really grow, and a database that has room for only a few more pages
 * (a quota, `max_page_count`) stays paused instead of flapping.
 */
const PROBE_ROW_CHARS = 1024 * 1024;
const PROBE_KEY = 'storage.probe';

/**
 * Checks for real that the data disk takes writes: enough free space
 * (statfs, when the platform has it), a small file written and fsynced in
 * the data folder, and a small row committed to the database and deleted.
 * Resolves when all three worked; throws the DISK_FULL or DISK_IO AppError
 * (or whatever else failed) otherwise. Leaves nothing behind.
 */
export async function probeStorage(options: StorageProbeOptions): Promise<void> {
  const headroom = options.headroomBytes ?? 16 * 1024 * 1024;
  const free = await freeBytes(options.dataDir);
  if (free !== null && free < headroom) throw storageError('full');
  await probeFile(path.join(options.dataDir, PROBE_FILE));
  probeDatabaseWrite(options.db);
}

/** Bytes available to this user on the disk holding `dir`, or null when the platform cannot say. */
export async function freeBytes(dir: string): Promise<number | null> {
  try {
    const stats = await statfs(dir);
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}

async function probeFile(file: string): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.write(Buffer.alloc(PROBE_FILE_BYTES, 0x2e));
    // Without the fsync a failing disk would accept the bytes into the page cache and fail later.
    await handle.sync();
  } finally {
    await handle.close();
    await unlink(file).catch(() => undefined);
  }
}

/**
 * The database half of the probe, synchronous: commits a 1 MiB row and
 * deletes it. Throws what SQLite throws (SQLITE_FULL on a full disk). Call
 * it outside any transaction.
 */
export function probeDatabaseWrite(db: Database): void {
  // Two commits: the insert must find room for its pages in the WAL (a
  // rolled-back write would never reach the disk), and the delete leaves
  // the database as it was.
  db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, json_quote(hex(zeroblob(?))), 0)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
  ).run(PROBE_KEY, PROBE_ROW_CHARS / 2);
  db.prepare(`DELETE FROM settings WHERE key = ?`).run(PROBE_KEY);
}
