import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const STAMP_FILE = '.generator-version';

/**
 * Generates a folder once and reuses it: returns `dir` at once when it holds
 * a complete copy stamped `stamp`, otherwise runs `generate` into a sibling
 * temp folder, stamps it and renames it into place, so parallel callers never
 * see half a folder. A copy with another stamp (an older generator, other
 * options, foreign files) is replaced.
 */
export async function ensureGeneratedDir(
  dir: string,
  stamp: string,
  generate: (into: string) => Promise<unknown>,
): Promise<string> {
  const stampFile = path.join(dir, STAMP_FILE);
  const isCurrent = async (): Promise<boolean> => (await readFile(stampFile, 'utf8').catch(() => '')) === stamp;
  if (await isCurrent()) return dir;
  const temp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  try {
    await generate(temp);
    await writeFile(path.join(temp, STAMP_FILE), stamp);
    await mkdir(path.dirname(dir), { recursive: true });
    try {
      // Atomic, and fails if another process already put a folder there.
      await rename(temp, dir);
      return dir;
    } catch {
      // Fall through: someone else's copy, current or stale.
    }
    if (!(await isCurrent())) {
      await rm(dir, { recursive: true, force: true });
      await rename(temp, dir);
    }
    return dir;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
