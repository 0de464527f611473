import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { mkdirPrivate, PRIVATE_FILE_MODE } from '../private-files';

const KEY = /^[0-9a-f]{64}$/;

/**
 * Files that wait for OCR, kept in the data folder by the sha256 of their
 * bytes. A sync stores a document's text, not its file; OCR runs later, in
 * its own job, and needs the file itself, which a connector cannot hand
 * back later (a Drive download, a dropped upload). So the extractor keeps a
 * copy here (owner-only, written to a temporary name, flushed, then renamed,
 * so a file under its key is always whole) before the sync commits the
 * document, and the OCR job removes it once the text is merged. At start,
 * files no pending document refers to are removed (a crash between the two).
 *
 * The disk cost is the size of the scans waiting at the time (each at most
 * the 50 MB file limit); identical files are kept once.
 */
export class OcrSourceStore {
  constructor(private readonly dir: string) {}

  /** Keeps `bytes` under `key` (their sha256) unless a copy is already there. */
  async put(key: string, bytes: Uint8Array): Promise<void> {
    checkKey(key);
    const target = join(this.dir, key);
    if (await exists(target)) return;
    await mkdirPrivate(this.dir);
    const temporary = join(this.dir, `${key}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, PRIVATE_FILE_MODE);
    try {
      await handle.writeFile(bytes);
      // Flushed before the rename, and before the sync commits a document that points here.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  }

  /**
   * The bytes under `key`, in shared memory (the OCR job sends them to a
   * parser thread for every page; shared, they are not copied each time).
   * Null when the file is gone.
   */
  async read(key: string): Promise<Uint8Array | null> {
    checkKey(key);
    let bytes: Buffer;
    try {
      bytes = await readFile(join(this.dir, key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
    shared.set(bytes);
    return shared;
  }

  async remove(key: string): Promise<void> {
    checkKey(key);
    await rm(join(this.dir, key), { force: true });
  }

  /** Removes every file whose key is not in `keep`, and temporary files left by a crash. Returns how many. */
  async removeAllBut(keep: ReadonlySet<string>): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    const doomed = names.filter((name) => !(KEY.test(name) && keep.has(name)));
    await Promise.all(doomed.map((name) => rm(join(this.dir, name), { force: true, recursive: true })));
    return doomed.length;
  }
}

function checkKey(key: string): void {
  if (!KEY.test(key)) throw new AppError('INTERNAL', 'An OCR source key must be a sha256 in hex.');
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
